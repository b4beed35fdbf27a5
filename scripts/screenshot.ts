// Regenerates docs/mock-page.png, the README's picture of GET /: bun scripts/screenshot.ts (needs chromium).
import { chromium } from "playwright-core";
import { startMockBinary } from "../testkit/processes";

const mock = await startMockBinary(["--seed", "42", "--records", "1000", "--fail-rate", "0.1", "--now", "2024-06-01T12:00:00Z"]);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  await page.goto(`${mock.url}/`);
  // Some traffic for the live log (--fail-rate 0.1 injects a few faults).
  for (let page = 1; page <= 12; page++) {
    const path = ["/pagination/link_header?per_page=20&page=", "/pagination/offset?limit=20&offset=", "/pagination/page_number?per_page=20&page="][page % 3];
    await fetch(`${mock.url}${path}${page}`).then((r) => r.text());
  }
  await fetch(`${mock.url}/pagination/keyset?order_by=nope`).then((r) => r.text());
  await page.locator("a.try").first().click();
  await page.locator(".secret").nth(1).click();
  await page.waitForTimeout(1500);
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: "docs/mock-page.png" });
} finally {
  await browser.close();
  await mock.stop();
}
