// npm's pretest: the browser test (test/e2e/browser.test.ts) drives Debian's chromium. Installs it with apt-get
// when it is missing and this runs as root; otherwise says how, and lets the tests run (that one test then fails
// with the same one-line message). Never fails itself: the other tests still run.
import { existsSync } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HOW = "install it with 'sudo apt-get install -y chromium' (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary";

if (!existsSync(path)) {
  const root = process.getuid?.() === 0;
  if (root && Bun.which("apt-get")) {
    console.error(`pretest: ${path} is missing; installing Debian's chromium for the browser test (apt-get install -y chromium)`);
    const run = (args: string[]) =>
      Bun.spawnSync(args, { stdout: "ignore", stderr: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).exitCode === 0;
    if (!(run(["apt-get", "update", "-qq"]) && run(["apt-get", "install", "-y", "-qq", "chromium"]))) {
      console.error(`pretest: could not install chromium; the browser test will fail: ${HOW}`);
    }
  } else {
    console.error(`pretest: ${path} is missing, so the browser test will fail: ${HOW}`);
  }
}
