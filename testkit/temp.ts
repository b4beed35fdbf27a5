// Temporary folders for tests and the torture harness that are removed when the process exits: thousands of
// databases a run, left in the temp folder, added up to gigabytes. A harness that fails keeps its own for a look.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: { dir: string; keepOnFailure: boolean }[] = [];

/** Removes the folders made so far (those to keep on failure only when `failed` is false). */
export function removeTempFolders(failed = false): void {
  for (const { dir, keepOnFailure } of made.splice(0)) if (!failed || !keepOnFailure) rmSync(dir, { recursive: true, force: true });
}

// A script's exit; `bun test` fires no exit event, so its preload (test/setup.ts) calls removeTempFolders itself.
process.on("exit", (code) => removeTempFolders(code !== 0));

/** A new folder under the temp folder, removed at exit (kept when the process fails and `keepOnFailure` is set). */
export function tempFolder(prefix: string, keepOnFailure = false): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push({ dir, keepOnFailure });
  return dir;
}
