import type { SyncConfig } from "../../config/schema";
import type { Store } from "../../store/types";

/**
 * When the pages written since the last commit are committed. Each commit is one transaction holding every row
 * of those pages and the state after the last of them, so a kill at any instant loses only pages that are not
 * yet committed, and the next sync fetches them again. Committing every page costs a WAL frame for nearly every
 * row (random keys dirty a different index page each); tens of thousands of rows per commit share those pages.
 */
export interface CheckpointPolicy {
  /** Commit once this many rows are written and not committed (1: every page). */
  rows: number;
  /** Commit once the oldest page not committed is this old, including while waiting for the next response (0: every page). */
  ms: number;
}

export function checkpointPolicy(config: Pick<SyncConfig, "checkpoint_rows" | "checkpoint_seconds">): CheckpointPolicy {
  return { rows: config.checkpoint_rows, ms: config.checkpoint_seconds * 1000 };
}

export class Checkpoints {
  private rows = 0;
  private pages: number[] = [];
  private openedAt = 0;
  private readonly store: Pick<Store, "checkpoint">;
  private readonly policy: CheckpointPolicy;
  private readonly timer: () => number;

  constructor(store: Pick<Store, "checkpoint">, policy: CheckpointPolicy, timer: () => number) {
    this.store = store;
    this.policy = policy;
    this.timer = timer;
  }

  get open(): boolean {
    return this.pages.length > 0;
  }

  /** A page (1-based in this run) is written into the open checkpoint. */
  wrote(page: number, rows: number): void {
    if (this.pages.length === 0) this.openedAt = this.timer();
    this.pages.push(page);
    this.rows += rows;
  }

  due(): boolean {
    return this.open && (this.rows >= this.policy.rows || this.msLeft() <= 0);
  }

  /** How long the open checkpoint may still wait. */
  msLeft(): number {
    return this.policy.ms - (this.timer() - this.openedAt);
  }

  /**
   * Commits the open checkpoint; returns the pages it made durable: none when nothing was open, or when a failed
   * write had already discarded them (the store rolls the open checkpoint back).
   */
  async commit(): Promise<number[]> {
    const pages = this.pages;
    this.pages = [];
    this.rows = 0;
    return pages.length > 0 && (await this.store.checkpoint()) ? pages : [];
  }
}

/** True when `pending` settles within `ms`; false when the wait is longer (it goes on; nothing is cancelled). */
export async function settlesWithin(pending: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  let timeout: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timeout = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      pending.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timeout);
  }
}

/**
 * The value of a promise that is already fulfilled, else the promise. A store that writes synchronously (SQLite)
 * settles at once: taking its value without an await keeps the pipelined response's continuation out of the
 * write's time, as when the store was synchronous.
 */
export function fulfilled<T>(promise: Promise<T>): T | Promise<T> {
  return Bun.peek.status(promise) === "fulfilled" ? (Bun.peek(promise) as T) : promise;
}
