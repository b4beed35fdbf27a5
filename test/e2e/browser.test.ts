// A real browser on the compiled binary's page: Debian's chromium driven by playwright-core (no browser download).
import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startMockBinary } from "../../testkit/processes";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const MISSING = `Chromium is missing at ${CHROMIUM}: install it with 'sudo apt-get install -y chromium' (npm test's pretest does it when run as root), or set CHROMIUM_PATH.`;

test("GET / in Chromium: every try-it answers 200 JSON, a credential reveals, the live log shows requests", async () => {
  if (!existsSync(CHROMIUM)) throw new Error(MISSING);
  const mock = await startMockBinary(["--seed", "7", "--records", "120", "--fail-rate", "0.2"]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const blocked: string[] = [];
    // Offline: the page may load nothing from anywhere but the mock itself.
    page.on("request", (request) => void (request.url().startsWith(mock.url) || blocked.push(request.url())));
    expect((await page.goto(`${mock.url}/`))?.status()).toBe(200);
    const links = page.locator("a.try");
    const count = await links.count();
    expect(count).toBeGreaterThanOrEqual(12);
    let faulted = 0;
    for (let i = 0; i < count; i++) {
      const link = links.nth(i);
      const href = (await link.getAttribute("href"))!;
      const out = link.locator("xpath=following-sibling::pre[1]");
      // An injected fault (--fail-rate) may answer 5xx: the page shows it; click again, a bounded number of times.
      let status = 0;
      let body = "";
      let type = "";
      for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
        const [response] = await Promise.all([page.waitForResponse((r) => r.url() === `${mock.url}${href}`, { timeout: 15_000 }), link.click()]);
        status = response.status();
        if (status !== 200) faulted++;
        body = await response.text();
        type = response.headers()["content-type"] ?? "";
        await page.waitForFunction(([el, want]) => el?.getAttribute("data-status") === want, [await out.elementHandle(), String(status)] as const, {
          timeout: 15_000,
        });
      }
      expect(`${href} ${status}`).toBe(`${href} 200`);
      expect(await out.textContent()).toStartWith("HTTP 200\n");
      if (type.startsWith("application/json")) expect(() => JSON.parse(body)).not.toThrow();
      else expect(`${href} ${type}`).toMatch(/^\/(export\/csv text\/csv|_mock\/dataset application\/x-ndjson)/);
    }
    const secret = page.locator(".secret").first();
    expect(await secret.textContent()).toContain("click to reveal");
    await secret.click();
    expect(await secret.textContent()).toMatch(/^user-[0-9a-f]+$/);
    // The try-its above are in the log; one more request from outside the page must appear too.
    const outside = await fetch(`${mock.url}/pagination/offset?limit=2&offset=3`);
    await outside.text();
    // --fail-rate may fault this one too; the log counts it with the others.
    if (outside.status !== 200) faulted++;
    await page.locator("#log-rows td.target", { hasText: "/pagination/offset?limit=2&offset=3" }).first().waitFor({ timeout: 15_000 });
    expect(await page.locator("#log-rows tr").count()).toBeGreaterThan(count);
    // Every failed attempt above was an injected fault, and the log says which.
    expect(await page.locator("#log-rows td.fault", { hasText: /fail_50\d/ }).count()).toBe(faulted);
    const shot = join(mkdtempSync(join(tmpdir(), "connector-browser-")), "page.png");
    await page.screenshot({ path: shot, fullPage: false });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await page.setViewportSize({ width: 375, height: 800 });
    expect(
      await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(shot, "..", "phone.png") });
    console.log(`screenshots: ${shot} and phone.png beside it`);
    expect(blocked).toEqual([]);
  } finally {
    await browser.close();
    await mock.stop();
  }
}, 120_000);
