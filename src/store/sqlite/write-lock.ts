import { Database } from "bun:sqlite";
import { describe } from "../../errors";
import { StoreError } from "../store-error";

/**
 * One sync (or reset) per database, without locking readers out: the writer holds an exclusive SQLite transaction
 * on a companion file, `<db>-lock`, for as long as it runs. That is an OS file lock (fcntl), so it dies with the
 * process, however it ends; the database itself stays open to any number of WAL readers. The lock file is never
 * deleted (removing it while another process opens it would let two writers in).
 */
export class WriteLock {
  private constructor(private readonly holder: Database) {}

  static lockPath(dbFullPath: string): string {
    return `${dbFullPath}-lock`;
  }

  /** Takes the lock at once or throws `db_locked`: a second sync is refused before it sends a request. */
  static take(dbFullPath: string, shown: string): WriteLock {
    let holder: Database | null = null;
    try {
      holder = new Database(WriteLock.lockPath(dbFullPath), { create: true });
      holder.run("PRAGMA busy_timeout = 0");
      holder.run("BEGIN EXCLUSIVE");
      return new WriteLock(holder);
    } catch (error) {
      holder?.close();
      if (/database is locked|SQLITE_BUSY/i.test(`${describe(error)} ${(error as { code?: string }).code ?? ""}`)) {
        throw new StoreError(
          "db_locked",
          `database '${shown}' is in use by another sync (it holds ${shown}-lock); wait for it to finish or use another --db`,
          error,
        );
      }
      throw new StoreError("db_open", `cannot take the write lock ${shown}-lock: ${describe(error)}`, error);
    }
  }

  release(): void {
    this.holder.close(false);
  }
}
