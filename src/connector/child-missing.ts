// A parent whose children's path answers 404 is taken for one deleted in the source since it was synced, and skipped.
// When every parent does so, the path itself names no endpoint (a typo: `/api/user/{users.id}/orders`): found from
// outside, that child stream ended "ok" with no rows and exit 0. Such a pass now stops, naming the path.
import type { StreamDef } from "../config/streams";
import { SyncError } from "../errors";

/** How many parents in a row must answer 404, with none answering a page, before the path is taken to be wrong. */
export const MISSING_BEFORE_STOP = 3;

/** The 404s and the pages of one child stream's run, in the order its parents are read. */
export class MissingParents {
  private answered = 0;
  private missing = 0;
  private first: string | null = null;

  constructor(private readonly def: StreamDef) {}

  /** Whether some parent's children's path answered with a page: until then a 404 may be the path's, not the parent's. */
  get anyAnswered(): boolean {
    return this.answered > 0;
  }

  /** A parent read: `notFound` is the 404's message when its children's path answered 404, else null. */
  note(notFound: string | null): void {
    if (notFound === null) {
      this.answered++;
      return;
    }
    this.missing++;
    this.first ??= notFound;
    if (this.answered === 0 && this.missing >= MISSING_BEFORE_STOP) throw this.wrongPath();
  }

  private wrongPath(): SyncError {
    const { name, parent, config } = this.def;
    const path = new URL(config.base_url).pathname;
    return new SyncError(
      "child_path",
      `stream '${name}': the first ${this.missing} ${parent} rows all answered 404 at their children's path, and none answered with a page ` +
        `(the first: ${this.first}). The path '${decodeURIComponent(path)}' names no endpoint of the API: check the stream's path and the ` +
        `${parent} field it fills in. (A ${parent} row deleted in the source since it was synced answers 404 too, but not every one of them.)`,
    );
  }
}
