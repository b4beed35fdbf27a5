import type { Dataset, Row } from "./data/dataset";
import type { Related } from "./data/related";
import { RelatedChanges } from "./related-changes";
import { serializeUser, type User } from "./data/user";
import { Prng, writeIdBytes } from "./prng";
import { formatTimestamp, toSeconds } from "./time";

/** Of the changes that are not deletes, this share inserts a new row; the rest update an existing one. */
export const INSERT_SHARE = 0.2;
const TICK_MS = 100;
const MUTATIONS = 3;

export interface MutatorOptions {
  seed: number;
  deleteShare: number;
  clock: () => number;
  /** Companies and orders, to change beside the users once made. */
  related?: Related;
}

/**
 * Live change: updates random rows (updatedAt = now, new company, job and sometimes address), inserts new rows and,
 * with a delete share, hard-deletes rows. Which rows and what values come from a seeded PRNG; the time is the clock's.
 * Companies and orders change the same way once a request has made their table (related-changes.ts).
 */
export class Mutator {
  private readonly rng: Prng;
  private readonly words = new Uint32Array(4);
  private readonly idBytes = new Uint8Array(16);
  private timer: ReturnType<typeof setInterval> | undefined;
  private perSec = 0;
  private owed = 0;
  private readonly related: RelatedChanges | undefined;

  constructor(
    private readonly dataset: Dataset,
    private readonly options: MutatorOptions,
  ) {
    this.rng = new Prng(options.seed, MUTATIONS);
    const { related } = options;
    this.related = related && new RelatedChanges(related, { ...options, insertShare: INSERT_SHARE, randomUser: (rng, recent) => this.randomRow(rng, recent) });
  }

  rate(): number {
    return this.perSec;
  }

  /** 0 stops the timer; the timer never keeps the process alive on its own. */
  setRate(perSec: number): void {
    if (!Number.isFinite(perSec) || perSec < 0) throw new RangeError(`mutation rate must be a number >= 0, got ${perSec}`);
    this.perSec = perSec;
    if (perSec === 0) this.stop();
    else if (!this.timer) {
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.timer.unref?.();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.owed = 0;
  }

  /** Applies `count` changes now, in one transaction. */
  apply(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`mutation count must be a whole number >= 0, got ${count}`);
    if (count === 0) return;
    const now = toSeconds(this.options.clock());
    this.dataset.change((changes) => {
      for (let i = 0; i < count; i++) {
        const resource = this.related?.pick(this.dataset.size()) ?? "users";
        if (resource !== "users") {
          this.related!.apply(resource, now);
          continue;
        }
        const roll = this.rng.next();
        const target = this.dataset.size() > 0 ? this.randomRow(this.rng) : undefined;
        if (!target) changes.insert(this.newRow(now));
        else if (roll < this.options.deleteShare) changes.remove(target);
        else if ((roll - this.options.deleteShare) / (1 - this.options.deleteShare) < INSERT_SHARE) changes.insert(this.newRow(now));
        else this.update(target, now, changes.update);
      }
    });
  }

  private tick(): void {
    this.owed += (this.perSec * TICK_MS) / 1000;
    // A walk of the whole table (oracle, export) is in progress: keep owing, so it sees one consistent state.
    if (this.dataset.walking()) return;
    const due = Math.floor(this.owed);
    this.owed -= due;
    this.apply(due);
  }

  /** A random row; `recent`: one of the rows changed last (live inserts among them), as active users buy more. */
  private randomRow(rng: Prng, recent = false): Row | undefined {
    const range = this.dataset.updatedRange();
    if (!range) return undefined;
    for (let i = 0; i < 16; i++) this.idBytes[i] = rng.int(256);
    return this.dataset.rowAtOrAfter({ key: recent ? range.max : range.min + rng.int(range.max - range.min + 1), id: this.idBytes });
  }

  private newRow(now: number): Row {
    const json = this.dataset.factory.fresh(this.rng, this.words, now, now);
    const id = new Uint8Array(16);
    writeIdBytes(this.words, 0, id, 0);
    return { updatedAt: now, id, createdAt: now, gen: null, json };
  }

  /** New company and job, and half the time a new address, taken from a freshly drawn user. */
  private update(row: Row, now: number, write: (old: Row, updatedAt: number, json: string) => void): void {
    const user = JSON.parse(this.dataset.json(row)) as User;
    const donor = JSON.parse(this.dataset.factory.fresh(this.rng, this.words, now, now)) as User;
    user.company = donor.company;
    user.job = donor.job;
    if (this.rng.next() < 0.5) user.address = donor.address;
    // updatedAt never moves backwards, even when --now put the initial rows ahead of the real clock.
    const updatedAt = Math.max(now, row.updatedAt);
    user.updatedAt = formatTimestamp(updatedAt);
    write(row, updatedAt, serializeUser(user));
  }
}
