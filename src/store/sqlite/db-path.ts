import { closeSync, existsSync, openSync, statSync, unlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { AppError } from "../../errors";

/** A --db path as a clear error before anything is opened: not a directory, in a folder that exists and is writable. */
export function checkDbPath(path: string, mustExist = false): string {
  const full = resolve(path);
  if (existsSync(full)) {
    if (statSync(full).isDirectory())
      throw new AppError("db_path", `--db '${path}' is a directory; give a file path such as ${path.replace(/\/$/, "")}/connector.db`);
    // /dev/null, a FIFO, a device: SQLite would leave a -journal next to it, or hang.
    if (!statSync(full).isFile()) throw new AppError("db_path", `--db '${path}' is not a regular file; give a file path such as ./connector.db`);
  } else {
    if (mustExist) throw new AppError("db_missing", `database '${path}' does not exist (nothing has been synced into it yet)`);
    const dir = dirname(full);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError("db_path", `--db '${path}': folder '${dir}' does not exist; create it first`);
    if (!writable(dir)) throw new AppError("db_path", `--db '${path}': folder '${dir}' is not writable; choose another location`);
  }
  return full;
}

/** Whether a file can be created in `dir`: the permission bits say little to root, so try it. */
function writable(dir: string): boolean {
  const probe = join(dir, `.connector-write-test-${process.pid}-${Date.now()}`);
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
    return true;
  } catch {
    return false;
  }
}
