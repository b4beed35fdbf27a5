import { describe, expect, test } from "bun:test";
import { Progress, progressMode, progressText } from "../../src/cli/progress";
import { emptySummary } from "../../src/connector/summary";

const at = (rows: number, pages: number, rowsPerSecond: number, expected: number | null = null) => ({
  ...emptySummary(),
  rows,
  pages,
  rowsPerSecond,
  expected,
});

describe("progress", () => {
  test("the mode follows the terminal, NO_COLOR, TERM=dumb, --log json and --quiet", () => {
    const mode = (isTTY: boolean, env: Record<string, string> = {}, format: "text" | "json" = "text", quiet = false) =>
      progressMode({ isTTY, env, format, quiet });
    expect(mode(true, { TERM: "xterm-256color" })).toBe("redraw");
    expect(mode(true, { NO_COLOR: "1" })).toBe("plain");
    expect(mode(true, { NO_COLOR: "" })).toBe("redraw");
    expect(mode(true, { TERM: "dumb" })).toBe("plain");
    expect(mode(false)).toBe("lines");
    expect(mode(true, {}, "json")).toBe("json");
    expect(mode(true, {}, "text", true)).toBe("off");
  });

  test("rows, pages, rows/s; with a total, the percentage and an ETA", () => {
    expect(progressText(at(12345, 247, 5432))).toBe("syncing: 12,345 rows, 247 pages, 5,432 rows/s");
    expect(progressText(at(500, 10, 100, 2000))).toBe("syncing: 500 rows, 10 pages, 100 rows/s, 25% of 2,000, ETA 15s");
    expect(progressText(at(1000, 10, 10, 100_000))).toBe("syncing: 1,000 rows, 10 pages, 10 rows/s, 1% of 100,000, ETA 2h 45m");
    expect(progressText(at(120, 3, 0, 100))).toBe("syncing: 120 rows, 3 pages, 0 rows/s, 100% of 100");
  });

  test("off a terminal: a line every 5 s however many pages, never an escape code or a carriage return", () => {
    let clock = 0;
    const out: string[] = [];
    const progress = new Progress(
      "lines",
      (t) => void out.push(t),
      () => clock,
    );
    for (let page = 1; page <= 2000; page++) {
      clock += 10; // 2,000 pages in 20 s
      progress.update(at(page * 50, page, 5000));
    }
    expect(out).toHaveLength(4);
    expect(out.join("")).not.toMatch(/[\r\x1b]/);
    expect(out[0]).toBe("syncing: 25,000 rows, 500 pages, 5,000 rows/s\n");
  });

  test("on a terminal: redrawn at most every 100 ms; anything else written clears the line first", () => {
    let clock = 0;
    const out: string[] = [];
    const progress = new Progress(
      "redraw",
      (t) => void out.push(t),
      () => clock,
    );
    progress.update(at(50, 1, 500));
    clock += 50;
    progress.update(at(100, 2, 500)); // too soon: skipped
    progress.write("warn: something\n");
    clock += 100;
    progress.update(at(150, 3, 500));
    progress.clear();
    progress.clear(); // nothing on screen: nothing written
    expect(out).toEqual([
      "\r\x1b[Ksyncing: 50 rows, 1 pages, 500 rows/s",
      "\r\x1b[K",
      "warn: something\n",
      "\r\x1b[Ksyncing: 150 rows, 3 pages, 500 rows/s",
      "\r\x1b[K",
    ]);
  });

  test("plain (NO_COLOR, TERM=dumb): a carriage return and spaces, no escape code", () => {
    let clock = 0;
    const out: string[] = [];
    const progress = new Progress(
      "plain",
      (t) => void out.push(t),
      () => clock,
    );
    progress.update(at(1000, 20, 5000));
    clock += 200;
    progress.update(at(1, 1, 5));
    progress.write("done\n");
    const text = out.join("");
    expect(text).not.toContain("\x1b");
    expect(out[1]).toBe(`\r${"syncing: 1 rows, 1 pages, 5 rows/s".padEnd("syncing: 1,000 rows, 20 pages, 5,000 rows/s".length)}`);
    expect(out[2]).toBe(`\r${" ".repeat(out[1]!.length - 1)}\r`);
  });

  test("--log json: progress events are JSON lines", () => {
    let clock = 0;
    const out: string[] = [];
    const progress = new Progress(
      "json",
      (t) => void out.push(t),
      () => clock,
    );
    clock = 6000;
    progress.update(at(300, 6, 50, 600));
    expect(JSON.parse(out[0] as string)).toMatchObject({ level: "info", event: "progress", rows: 300, pages: 6, rowsPerSecond: 50, total: 600 });
  });
});
