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

/**
 * The policy grown by the factor the store asks for (a checkpoint of `wanted` rows), rows and time alike, so that a
 * checkpoint that should hold more rows also has the time to read them. A policy that commits every page stays so.
 */
export function grownPolicy(policy: CheckpointPolicy, wanted: number): CheckpointPolicy {
  if (policy.rows <= 1 || policy.ms <= 0 || wanted <= policy.rows) return policy;
  return { rows: wanted, ms: policy.ms * (wanted / policy.rows) };
}

export class Checkpoints {
  private rows = 0;
  private pages: number[] = [];
  private openedAt = 0;
  private readonly store: Pick<Store, "checkpoint" | "checkpointRows">;
  private readonly configured: CheckpointPolicy;
  /** The open checkpoint's policy: the configured one, grown when the store asks for larger checkpoints. */
  private policy: CheckpointPolicy;
  private readonly timer: () => number;

  constructor(
    store: Pick<Store, "checkpoint" | "checkpointRows">,
    policy: CheckpointPolicy,
    timer: () => number,
    private readonly table?: string,
  ) {
    this.store = store;
    this.configured = policy;
    this.policy = policy;
    this.timer = timer;
  }

  get open(): boolean {
    return this.pages.length > 0;
  }

  /** A page (1-based in this run) is written into the open checkpoint. */
  wrote(page: number, rows: number): void {
    if (this.pages.length === 0) {
      this.openedAt = this.timer();
      const wanted = this.table === undefined ? 0 : (this.store.checkpointRows?.(this.table) ?? 0);
      this.policy = grownPolicy(this.configured, wanted);
    }
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
