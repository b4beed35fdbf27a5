// `connector probe` end to end with the network passed in: the mock and the dialect servers answer in process, the
// written configuration is loaded as a user's would be, and the real sync driver runs with it.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "../../src/cli/args";
import { memoryIo } from "../../src/cli/io";
import { probeCommand, runProbe } from "../../src/cli/probe";
import { reportError, runCli } from "../../src/cli/run";
import { loadConfig } from "../../src/config/load";
import type { FetchLike } from "../../src/connector/http/client";
import type { MockOptions } from "../../src/mock";
import { inProcessMock } from "../helpers/mock";
import { cursorApi, items, linkHeaderApi, queryKeyApi, zeroBasedApi } from "../helpers/dialects";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

const dir = mkdtempSync(join(tmpdir(), "connector-probe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mockFetch(options: MockOptions = {}): FetchLike {
  return inProcessMock({ records: 60, seed: 1, ...options }).fetch;
}

async function probe(argv: string[], fetch: FetchLike) {
  const io = memoryIo({ cwd: dir });
  const sleeps: number[] = [];
  let code: number;
  try {
    code = await runProbe(parseArgs(argv, probeCommand.flags, "probe"), io, {
      fetch,
      sleep: async (ms) => void sleeps.push(ms),
      now: () => 0,
      random: () => 0.5,
    });
  } catch (error) {
    code = reportError(error, io);
  }
  return { code, out: io.out.join(""), err: io.err.join(""), sleeps };
}

type Report = {
  strategy: string | null;
  records: string;
  total: { value: number; from: string } | null;
  fields: { name: string; type: string; nullable: boolean }[];
  primaryKeys: string[];
  cursors: string[];
  written: string | null;
};

/** Probes with --json --write, checks the file loads, and returns the report and the file's configuration. */
async function probeAndWrite(url: string, fetch: FetchLike, file: string, env: Record<string, string> = {}) {
  const r = await probe([url, "--json", "--write", file, "--force"], fetch);
  expect(r.err).toBe(`probe: wrote ${file}; next: connector sync --config ${file}\n`);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.out) as Report;
  expect(report.written).toBe(file);
  const loaded = loadConfig({ file, env, cwd: dir }).config;
  const written = JSON.parse(readFileSync(join(dir, file), "utf8")) as Record<string, unknown>;
  return { report, loaded, written };
}

const types = (report: Report) => Object.fromEntries(report.fields.map((f) => [f.name, f.type]));
const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("probe the mock's four styles", () => {
  for (const style of ["offset", "page_number", "keyset", "next_page_url"] as const) {
    test(`${style}: detected, typed, and the written configuration syncs every row`, async () => {
      const fetch = mockFetch();
      const { report, loaded, written } = await probeAndWrite(`http://mock.test/pagination/${style}`, fetch, `${style}.json`);
      expect(report).toMatchObject({ strategy: style, records: "data", primaryKeys: ["id"], cursors: ["updatedAt", "createdAt"] });
      expect(report.total?.value ?? null).toBe(style === "keyset" ? null : 60);
      expect(types(report)).toEqual({
        id: "STRING",
        name: "STRING",
        email: "STRING",
        address: "STRING",
        company: "STRING",
        job: "STRING",
        createdAt: "UTC_DATETIME",
        updatedAt: "UTC_DATETIME",
      });
      expect(loaded).toMatchObject({ strategy: style, cursor_field: "updatedAt", primary_key: ["id"], request: { since_param: "updated_since" } });
      const db = tempDb();
      const run = await syncOnce(db, written, fetch);
      expect(run.error).toBeUndefined();
      expect(run.summary?.inserted).toBe(60);
      expect(diff(db, await dataset(fetch))).toEqual(NO_DIFF);
    });
  }

  test("the text report names the style, the records, each field's type and the next steps", async () => {
    const r = await probe(["http://mock.test/pagination/page_number?per_page=20"], mockFetch());
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^strategy +page_number: the response has 'total_pages' \(page numbers\); records in 'data'$/m);
    expect(r.out).toMatch(/^records +'data': 20 on the first page, 60 in total \(body 'total_items'\)$/m);
    expect(r.out).toMatch(/^ {2}updatedAt +UTC_DATETIME$/m);
    expect(r.out).toMatch(/^primary key +id$/m);
    expect(r.out).toMatch(/^cursor +updatedAt \(other candidates: createdAt\)$/m);
    expect(r.out).toContain("next steps\n  - the API speaks fivetran-api-playground");
    expect(existsSync(join(dir, "configuration.json"))).toBe(false);
  });
});

describe("probe real-API dialects", () => {
  test("Link header + top-level array + X-Total-Count", async () => {
    const api = linkHeaderApi(items(95));
    const { report, written } = await probeAndWrite("http://gh.test/repos/x/items?per_page=20&state=all", api.fetch, "gh.json");
    expect(report).toMatchObject({
      strategy: "link_header",
      records: "",
      total: { value: 95, from: "header x-total-count" },
      primaryKeys: ["id"],
      cursors: ["modified"],
    });
    expect(types(report)).toEqual({ id: "INT", title: "STRING", modified: "UTC_DATETIME" });
    expect(written).toMatchObject({
      base_url: "http://gh.test/repos/x/items",
      page_size: 20,
      params: { state: "all" },
      // Found by asking: the list comes sorted by modified, and `since` filters it (GitHub's issues `since`).
      request: { since_param: "since" },
      response: { records: "", total_header: "x-total-count" },
    });
    const db = tempDb();
    expect((await syncOnce(db, written, api.fetch)).error).toBeUndefined();
    expect(ids(db)).toEqual(range(95));
  });

  test("0-based page numbers: the names and the first page come from the URL, totalPages from the body", async () => {
    const api = zeroBasedApi(items(47));
    const { report, written } = await probeAndWrite("http://spring.test/api/things?pageIndex=0&size=10&sort=modified,asc", api.fetch, "spring.json");
    const probed = api.requests.length;
    expect(report).toMatchObject({ strategy: "page_number", records: "content", total: { value: 47 }, cursors: ["modified"] });
    expect(types(report).id).toBe("INT");
    expect(written).toMatchObject({
      request: { page_param: "pageIndex", per_page_param: "size", first_page: 0 },
      response: { records: "content", total_pages: "totalPages" },
    });
    const db = tempDb();
    expect((await syncOnce(db, written, api.fetch)).error).toBeUndefined();
    expect(ids(db)).toEqual(range(47));
    expect(api.requests.slice(probed).map((r) => new URL(r.url).searchParams.get("pageIndex"))).toEqual(["0", "1", "2", "3", "4"]);
  });

  test("a Slack-style cursor: token path and parameter", async () => {
    const api = cursorApi(items(33), 10);
    const { report, written } = await probeAndWrite("http://slack.test/users.list", api.fetch, "slack.json");
    expect(report).toMatchObject({ strategy: "keyset", records: "members", cursors: ["modified"] });
    expect(written).toMatchObject({ request: { token_param: "cursor" }, response: { records: "members", next_token: "response_metadata.next_cursor" } });
    const db = tempDb();
    expect((await syncOnce(db, written, api.fetch)).error).toBeUndefined();
    expect(ids(db)).toEqual(range(33));
  });
});

describe("secrets", () => {
  const TOKEN = "tok-s3cret-987654";

  test("a secret header is sent but never printed or written: the file holds Bearer ${API_TOKEN}, which syncs", async () => {
    const fetch = mockFetch({ requireAuth: "bearer", auth: { token: TOKEN } });
    for (const json of [[], ["--json"]]) {
      const r = await probe(
        ["http://mock.test/pagination/offset", "--header", `Authorization: Bearer ${TOKEN}`, "--write", "auth.json", "--force", ...json],
        fetch,
      );
      expect(r.code).toBe(0);
      expect(r.out + r.err).not.toContain(TOKEN);
      expect(r.out).toContain("Authorization");
    }
    const text = readFileSync(join(dir, "auth.json"), "utf8");
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text).headers).toEqual({ Authorization: "Bearer ${API_TOKEN}" });
    const db = tempDb();
    const run = await syncOnce(db, JSON.parse(text), fetch, { env: { API_TOKEN: TOKEN } });
    expect(run.error).toBeUndefined();
    expect(diff(db, await dataset(fetch, undefined, { Authorization: `Bearer ${TOKEN}` }))).toEqual(NO_DIFF);
  });

  test("a key in the query string is shown as *** and written as ${API_KEY}; a wrong key's 401 does not echo it", async () => {
    const api = queryKeyApi(items(5), "k3y-s3cret");
    const r = await probe(["http://key.test/x?api_key=k3y-s3cret", "--write", "key.json", "--force"], api.fetch);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^url +http:\/\/key\.test\/x\?api_key=\*\*\*$/m);
    const text = readFileSync(join(dir, "key.json"), "utf8");
    expect(text).not.toContain("k3y-s3cret");
    expect(JSON.parse(text).params).toEqual({ api_key: "${API_KEY}" });
    const db = tempDb();
    expect((await syncOnce(db, JSON.parse(text), api.fetch, { env: { API_KEY: "k3y-s3cret" } })).error).toBeUndefined();
    expect(ids(db)).toEqual(range(5));
    const bad = await probe(["http://key.test/x?api_key=wrong-key-value"], api.fetch);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("HTTP 401");
    expect(bad.err).not.toContain("wrong-key-value");
  });
});

describe("files, flags and failures", () => {
  test("--write refuses to overwrite without --force, before any request; --force replaces the file", async () => {
    writeFileSync(join(dir, "configuration.json"), "keep me");
    let requests = 0;
    const fetch = mockFetch();
    const counting: FetchLike = (request) => (requests++, fetch(request));
    const refused = await probe(["http://mock.test/pagination/offset", "--write"], counting);
    expect(refused).toMatchObject({ code: 2, out: "", err: "connector: configuration.json already exists: pass --force to overwrite it\n" });
    expect(requests).toBe(0);
    expect(readFileSync(join(dir, "configuration.json"), "utf8")).toBe("keep me");
    const forced = await probe(["http://mock.test/pagination/offset", "--write", "--force"], counting);
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "configuration.json"), "utf8")).strategy).toBe("offset");
    rmSync(join(dir, "configuration.json"));
  });

  test("bad usage exits 2 with one line and no request: a header without a colon (its text not echoed), no URL, a bad URL", async () => {
    const cases: [string[], string][] = [
      [["probe", "http://x.test/", "--header", "Bearer hunter2-secret"], "--header must look like 'Name: value'"],
      [["probe", "http://x.test/", "--header", "Bad Name: v"], "is not a valid header name"],
      [["probe", "http://x.test/", "--header", "A: 1", "--header", "a: 2"], "--header 'a' is given twice"],
      [["probe"], "probe needs the URL of the first page"],
      [["probe", "--write", "http://x.test/"], "--write took the URL as its file name"],
      [["probe", "ftp://x.test/"], "must be http:// or https://"],
      [["probe", "http://x.test/", "--force"], "--force only applies with --write"],
      [["probe", "http://x.test/", "--write", join(dir, "no", "such.json")], "does not exist"],
      [["probe", "http://x.test/", "--write="], "--write needs a file name"],
    ];
    for (const [argv, message] of cases) {
      const io = memoryIo({ cwd: dir });
      expect({ argv, code: await runCli(argv, io) }).toEqual({ argv, code: 2 });
      const err = io.err.join("");
      expect(err).toContain(message);
      expect(err.split("\n").filter(Boolean)).toHaveLength(1);
      expect(err).not.toContain("hunter2");
    }
  });

  test("failures exit 1 with one error line: unreachable (after retries), not JSON, a 4xx (at once), no records", async () => {
    const refused: FetchLike = async () => {
      throw new TypeError("Unable to connect");
    };
    const html: FetchLike = async () => new Response("<html>hi</html>", { headers: { "content-type": "text/html" } });
    const down = await probe(["http://down.test/x"], refused);
    const page = await probe(["http://html.test/x"], html);
    const missing = await probe(["http://mock.test/nope"], mockFetch());
    const noRecords = await probe(["http://mock.test/_mock/mutations"], mockFetch());
    const last = (r: { err: string }) => r.err.trimEnd().split("\n").at(-1);
    expect(last(down)).toBe("connector: GET http://down.test/x failed: network error: Unable to connect; gave up after 3 attempts");
    expect(down.sleeps).toHaveLength(2);
    expect(last(page)).toStartWith("connector: GET http://html.test/x failed: the URL returned a web page, not JSON — check base_url");
    expect(page.sleeps).toEqual([]);
    expect(last(missing)).toStartWith("connector: GET http://mock.test/nope failed: HTTP 404 (");
    expect(missing.sleeps).toEqual([]);
    expect(last(noRecords)).toBe("connector: http://mock.test/_mock/mutations: cannot find the records in the response (it has per_sec); set response.records");
    for (const r of [down, page, missing, noRecords]) {
      expect(r.code).toBe(1);
      expect(r.out).toBe("");
      expect(r.err.split("\n").filter((line) => line && !line.startsWith("probe: retrying"))).toHaveLength(1);
    }
  });
});
