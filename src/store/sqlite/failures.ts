// What SQLite says when the disk or the file fails (a full disk, a damaged file, an I/O error, a read-only file),
// said as what happened and what to do. Found from outside: a sync onto a full disk ended "internal error: database
// or disk is full", which reads as a bug and says nothing of what was kept.
import { codeOf } from "../../errors";
import { StoreError } from "../store-error";

const KEPT = "nothing half-written is kept (SQLite rolled the open transaction back)";
const RESUME = "run the same command again: a sync resumes from its last checkpoint";

/** An SQLite error of the disk or the file as a StoreError naming the database; null for anything else. */
export function sqliteFailure(error: unknown, shown: string): StoreError | null {
  if (error instanceof StoreError) return null;
  const code = codeOf(error);
  const said = `SQLite: ${error instanceof Error ? error.message : String(error)}`;
  const name = `database '${shown}'`;
  if (code === "SQLITE_FULL")
    return new StoreError(
      "db_full",
      `the disk is full: ${name}, its write-ahead log (up to about 400 MB during a sync) or a temporary file (in SQLITE_TMPDIR or TMPDIR, else /var/tmp or /tmp) could not grow (${said}); ${KEPT}. Free some space and ${RESUME}`,
      error,
    );
  if (code === "SQLITE_NOTADB")
    return new StoreError(
      "db_foreign",
      `${name} is not an SQLite database (${said}), or its first page is damaged; it is left as it is: choose another file`,
      error,
    );
  if (code.startsWith("SQLITE_CORRUPT"))
    return new StoreError(
      "db_corrupt",
      `${name} is damaged (${said}); the connector cannot repair it: restore it from a backup, or sync into a new file (--db); 'sqlite3 FILE .recover' can save what is still readable`,
      error,
    );
  if (code.startsWith("SQLITE_IOERR"))
    return new StoreError("db_io", `the disk failed a read or a write of ${name} (${said}, ${code}); ${KEPT}. Check the disk, then ${RESUME}`, error);
  if (code.startsWith("SQLITE_READONLY"))
    return new StoreError(
      "db_permission",
      `${name} cannot be written (${said}): the file, its folder or its filesystem is read-only; make it writable or choose another --db`,
      error,
    );
  return null;
}

/**
 * `store` with every method's SQLite failure of the disk or the file thrown as sqliteFailure says it (a promise's
 * rejection too); anything else passes through unchanged.
 */
export function withClearFailures<T extends object>(store: T, shown: string): T {
  const clear = (error: unknown): never => {
    throw sqliteFailure(error, shown) ?? error;
  };
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        try {
          const result = value.apply(target, args);
          return result instanceof Promise ? result.catch(clear) : result;
        } catch (error) {
          return clear(error);
        }
      };
    },
  });
}
