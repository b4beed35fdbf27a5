import type { Store } from "../store/types";
import type { CheckpointPolicy } from "./writer/checkpoints";

/**
 * A child stream's checkpoints span parents. Each parent's run ends by asking for a commit; it is honoured only once
 * the policy's rows or seconds are reached (and at the end of the pass), since a commit per parent cost about
 * 1.2 ms: 25 of 33 s for 20,000 parents. Each parent's last page carries the state "next parent", so whatever
 * checkpoint is committed last, the pass resumes right after the parents it holds.
 *
 * A full refresh of a child is one refresh of its table across the whole pass: the store forgets an abandoned
 * refresh's keys on the pass's first page and marks the rows no parent's children had on the last parent's last
 * page (each parent's run alone would mark every other parent's children).
 */
export class SpanningCheckpoints {
  private rows = 0;
  private openedAt: number | null = null;

  constructor(
    private readonly store: Pick<Store, "writePage" | "checkpoint">,
    private readonly policy: CheckpointPolicy,
    private readonly timer: () => number,
    /** A new full-refresh pass: its first page starts the refresh (a resumed one continues its seen keys). */
    private refreshStarts = false,
  ) {}

  /** The store as a parent's writer sees it; `lastParent`: a refresh finishes with that parent's last page. */
  view(lastParent: boolean): Pick<Store, "writePage" | "checkpoint"> {
    return {
      writePage: async (given) => {
        const refresh = given.refresh && { start: this.refreshStarts, finish: lastParent && given.refresh.finish, since: null };
        const page = refresh ? { ...given, refresh } : given;
        try {
          const counts = await this.store.writePage(page);
          this.refreshStarts = false;
          this.openedAt ??= this.timer();
          this.rows += page.rows.length;
          return counts;
        } catch (error) {
          this.reset(); // the store discarded the open checkpoint
          throw error;
        }
      },
      checkpoint: async () => (this.due() ? this.flush() : false),
    };
  }

  /** Commits whatever is written (the end of the pass, or before a failure ends it). */
  async flush(): Promise<boolean> {
    this.reset();
    return this.store.checkpoint();
  }

  private due(): boolean {
    return this.openedAt !== null && (this.rows >= this.policy.rows || this.timer() - this.openedAt >= this.policy.ms);
  }

  private reset(): void {
    this.rows = 0;
    this.openedAt = null;
  }
}
