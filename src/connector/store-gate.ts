import type { PageWrite, RunEnd, Store, StreamState, WriteCounts } from "../store/types";

/**
 * Several streams writing through one store at once (`--concurrency`). A store's open checkpoint is one transaction
 * on one connection (SQLite: BEGIN IMMEDIATE … COMMIT across pages), so two streams writing into it would share
 * it: one stream's failing page would roll back the other's pages while that stream's own state moved on, and a
 * stream's checkpoint would commit the other's half-run. A second SQLite connection cannot help either: it would
 * wait on the first's write lock while the first waits for HTTP. So the open checkpoint belongs to one stream at a
 * time. A stream that wants to write while another's checkpoint is open commits that checkpoint at once when its
 * owner is between pages (its pages are whole, each with the state that covers it: committing early is always
 * safe), or waits for the page being written and commits then. Reads pass straight through.
 */
export class StoreGate {
  private owner: symbol | null = null;
  private waiting: (() => void)[] = [];
  /** The owner is inside a store call (a page half written must not be committed under it). */
  private busy = false;

  constructor(private readonly store: Store) {}

  /** The store as one stream sees it: its writes wait for the open checkpoint to be its own. */
  handle(): Store {
    const id = Symbol("stream");
    const { store } = this;
    const alone = <T>(work: () => Promise<T>): Promise<T> => this.exclusive(id, work);
    const owner = () => this.owner === id;
    const handle: Store = {
      location: store.location,
      readState: (stream) => store.readState(stream),
      allStates: () => store.allStates(),
      saveState: (stream: string, state: StreamState) => alone(() => store.saveState(stream, state)),
      writePage: (page: PageWrite): Promise<WriteCounts> => alone(() => store.writePage(page)),
      // Not the owner: this stream has nothing open (its failed page was rolled back); another's is not its to commit.
      checkpoint: () => (this.owner === id ? alone(() => store.checkpoint()) : Promise.resolve(false)),
      // Another stream's open checkpoint is not this stream's pending work.
      pending: false,
      // A large table's checkpoints grow (SQLite merges in key order): with --concurrency as without.
      checkpointRows: (table) => store.checkpointRows?.(table) ?? 0,
      tableExists: (table) => store.tableExists(table),
      rowCounts: (table) => store.rowCounts(table),
      syncedSince: (table, columns, after, until) => store.syncedSince(table, columns, after, until),
      reset: (only) => alone(() => store.reset(only)),
      startRun: (stream, source, startedAt) => alone(() => store.startRun(stream, source, startedAt)),
      finishRun: (runId: number, end: RunEnd) => alone(() => store.finishRun(runId, end)),
      recentRuns: (stream, limit) => store.recentRuns(stream, limit),
      streamsWithRuns: () => store.streamsWithRuns(),
      close: async () => {}, // the sync closes the one store once every stream has ended
    };
    Object.defineProperty(handle, "pending", { get: () => owner() && store.pending });
    return handle;
  }

  /** Runs `work` once no other stream's checkpoint is open; the stream keeps the store while its checkpoint stays open. */
  private async exclusive<T>(id: symbol, work: () => Promise<T>): Promise<T> {
    while (this.owner !== null && this.owner !== id) {
      // The owner is between pages (waiting for HTTP): its open checkpoint holds whole pages, so commit it now.
      if (!this.busy && this.store.pending) await this.store.checkpoint();
      if (!this.store.pending) this.release();
      else await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.owner = id;
    this.busy = true;
    try {
      const result = await work();
      // Another stream waits: commit now rather than at this stream's next checkpoint (up to checkpoint_seconds
      // away). Committing early is always safe: each page's rows commit with the state that covers them.
      if (this.waiting.length > 0 && this.store.pending) await this.store.checkpoint();
      return result;
    } finally {
      this.busy = false;
      if (!this.store.pending) this.release();
    }
  }

  private release(): void {
    this.owner = null;
    for (const wake of this.waiting.splice(0)) wake();
  }
}
