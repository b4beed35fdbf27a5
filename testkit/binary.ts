// Tests that run the compiled binary call connectorBinary(): it builds dist/connector once per test process when
// the binary is missing or older than the sources, so `npm test` works on a fresh clone before `npm run build`.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const binary = join(root, "dist", "connector");
let building: Promise<string> | undefined;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function connectorBinary(): Promise<string> {
  building ??= (async () => {
    const stale = !existsSync(binary) || statSync(binary).mtimeMs < Math.max(newestSource(join(root, "src")), statSync(join(root, "package.json")).mtimeMs);
    if (stale) {
      const proc = Bun.spawn([process.execPath, "scripts/build.ts"], { cwd: root, stdout: "ignore", stderr: "pipe" });
      const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
      if (code !== 0) throw new Error(`building dist/connector failed: ${err}`);
    }
    return binary;
  })();
  return building;
}
