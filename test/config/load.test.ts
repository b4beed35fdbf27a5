import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load";
import { ConfigError } from "../../src/errors";

const dir = mkdtempSync(join(tmpdir(), "connector-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(file: unknown, overrides: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  if (file !== undefined) writeFileSync(path, typeof file === "string" ? file : JSON.stringify(file));
  return loadConfig({ file: file === undefined ? undefined : path, overrides, env, cwd: dir });
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  test("base_url alone gives the playground defaults", () => {
    const { config } = load({ base_url: "http://127.0.0.1:5001/pagination/offset" });
    expect(config).toMatchObject({
      strategy: "auto",
      page_size: 50,
      table: "user",
      primary_key: ["id"],
      cursor_field: "updatedAt",
      initial_cursor: "0001-01-01T00:00:00Z",
      params: { order_by: "updatedAt", order_type: "asc" },
      checkpoint_rows: 50_000,
      checkpoint_seconds: 1,
    });
    expect(config.request).toMatchObject({ limit_param: "limit", since_param: "updated_since", token_param: "scroll_param", first_page: 1 });
    expect(config.response).toMatchObject({ records: "data", total: "total", next_url: "next_page_url", next_token: "scroll_param", total_header: null });
    expect(config.retry).toMatchObject({ max_attempts: 100, max_elapsed_seconds: 300, timeout_seconds: 30 });
  });

  test("flags override the file", () => {
    const { config } = load({ base_url: "http://a.test/x", page_size: 10, strategy: "offset" }, { page_size: 25, base_url: "http://b.test/y" });
    expect(config.page_size).toBe(25);
    expect(config.base_url).toBe("http://b.test/y");
    expect(config.strategy).toBe("offset");
  });

  test("${VAR} comes from the environment and is reported as a secret; a missing one is an error", () => {
    const { config, secrets } = load({ base_url: "http://a.test/x", headers: { Authorization: "Bearer ${TOKEN}" } }, {}, { TOKEN: "t0ps3cret" });
    expect(config.headers.Authorization).toBe("Bearer t0ps3cret");
    expect(secrets).toContain("t0ps3cret");
    expect(errorOf(() => load({ base_url: "http://a.test/x", headers: { A: "${NOPE}" } })).message).toBe(
      "configuration: headers.A refers to ${NOPE}, which is not set in the environment",
    );
  });

  test("each bad value names the key, the value and what is allowed, with exit code 2", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, "base_url is required (in the configuration file or as --base-url)"],
      [{ base_url: "file:///etc/passwd" }, 'base_url must be an absolute http:// or https:// URL without user:password@, got "file:///etc/passwd"'],
      [{ base_url: "http://u:p@a.test/" }, "without user:password@"],
      [{ base_url: "http://a.test", page_size: 0 }, "page_size must be at least 1, got 0"],
      [{ base_url: "http://a.test", page_size: 10_001 }, "page_size must be at most 10000, got 10001"],
      [{ base_url: "http://a.test", page_size: "50" }, 'page_size must be a number, got "50"'],
      [
        { base_url: "http://a.test", strategy: "cursor" },
        'strategy must be one of auto, offset, page_number, keyset, next_page_url, link_header, got "cursor"',
      ],
      [{ base_url: "http://a.test", table: "user; DROP TABLE x" }, "table must be a SQL identifier"],
      [{ base_url: "http://a.test", table: "_connector_state" }, "table must not start with _connector"],
      [{ base_url: "http://a.test", primary_key: [] }, "primary_key must name at least one column"],
      [
        { base_url: "http://a.test", initial_cursor: "yesterday" },
        'initial_cursor must be a timestamp like 2024-01-31T23:59:59Z, or a number where the cursor field is one (an id, a version, epoch seconds), got "yesterday"',
      ],
      [{ base_url: "http://a.test", retry: { max_attempts: 0 } }, "retry.max_attempts must be at least 1, got 0"],
      [{ base_url: "http://a.test", request: { limt_param: "x" } }, "unknown key 'request.limt_param'"],
      [{ base_url: "http://a.test", pagesize: 5 }, "unknown key 'pagesize'"],
      [{ base_url: "http://a.test", checkpoint_rows: 0 }, "checkpoint_rows must be at least 1, got 0"],
      [{ base_url: "http://a.test", checkpoint_rows: 2.5 }, "checkpoint_rows must be a whole number, got 2.5"],
      [{ base_url: "http://a.test", checkpoint_seconds: -1 }, "checkpoint_seconds must be at least 0, got -1"],
      [{ base_url: "http://a.test", checkpoint_seconds: "1s" }, 'checkpoint_seconds must be a number, got "1s"'],
    ];
    for (const [file, message] of cases) {
      const error = errorOf(() => load(file));
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain(message);
    }
  });

  test("a missing, unreadable or non-object file is a clear error", () => {
    expect(errorOf(() => loadConfig({ file: "nope.json", env: {}, cwd: dir })).message).toBe("configuration file 'nope.json' does not exist");
    expect(errorOf(() => load("{ not json")).message).toContain("is not valid JSON");
    expect(errorOf(() => load("[1,2]")).message).toContain("must hold a JSON object");
    mkdirSync(join(dir, "adir"));
    expect(errorOf(() => loadConfig({ file: "adir", env: {}, cwd: dir })).message).toContain("is a directory");
  });

  test("./configuration.json is read when present and --config is not given", () => {
    const cwd = mkdtempSync(join(dir, "cwd-"));
    writeFileSync(join(cwd, "configuration.json"), JSON.stringify({ base_url: "http://here.test/x", page_size: 7 }));
    expect(loadConfig({ env: {}, cwd }).config.page_size).toBe(7);
  });

  test("a secret is never echoed in a validation error", () => {
    const error = errorOf(() => load({ base_url: "${URL}" }, {}, { URL: "notaurl-with-s3cret" }));
    expect(error.message).not.toContain("s3cret");
  });
});
