// Issue 17: every error class and code in src/errors.ts; the code decides the exit code (EXIT_CODES), as before.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { AbortedError, AppError, ConfigError, EXIT_CODES, HttpError, StoreError, SyncError, UsageError } from "../src/errors";
import { StoreError as StoreErrorFromStore } from "../src/store/store-error";

const src = resolve(import.meta.dir, "../src");
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : name.endsWith(".ts") ? [join(dir, name)] : []));

describe("errors", () => {
  test("each class ends the process with the exit code it had before the table", () => {
    expect(new UsageError("x").exitCode).toBe(2);
    expect(new ConfigError("x").exitCode).toBe(2);
    expect(new AbortedError().exitCode).toBe(130);
    expect(new SyncError("bad_page", "x").exitCode).toBe(1);
    expect(new HttpError("http_status", "x", 404).exitCode).toBe(1);
    expect(new StoreError("db_locked", "x").exitCode).toBe(1);
    expect(new AppError("db_path", "x").exitCode).toBe(2);
    expect(new AppError("db_foreign", "x").exitCode).toBe(2);
    expect(new AppError("db_missing", "x").exitCode).toBe(1);
    expect(new AppError("strategy_misfit", "x").exitCode).toBe(2);
    expect(new AppError("not_implemented", "x").exitCode).toBe(1);
    expect(new StoreErrorFromStore("db_open", "x")).toBeInstanceOf(AppError);
  });

  test("a class keeps its name, code, message and cause", () => {
    const cause = new Error("disk");
    const error = new StoreError("db_open", "cannot open", cause);
    expect([error.name, error.code, error.message, error.cause]).toEqual(["StoreError", "db_open", "cannot open", cause]);
    expect(new HttpError("http_retries", "gave up", 503).status).toBe(503);
  });

  test("no error class is declared outside src/errors.ts", () => {
    const elsewhere = files(src).filter((file) => !file.endsWith("/src/errors.ts") && /class \w+ extends (\w*Error)\b/.test(readFileSync(file, "utf8")));
    expect(elsewhere).toEqual([]);
  });

  test("every code a module throws with is in the table (bun runs without the type check: an unknown code would have no exit code)", () => {
    const used = new Set<string>();
    for (const file of files(src))
      for (const m of readFileSync(file, "utf8").matchAll(/new (?:App|Sync|Store|Http)Error\(\s*"([a-z_]+)"/g)) used.add(m[1] as string);
    expect(used.size).toBeGreaterThan(20);
    for (const code of used) expect([code, Object.hasOwn(EXIT_CODES, code)]).toEqual([code, true]);
  });
});
