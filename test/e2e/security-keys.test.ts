// Record keys that have broken the store: Object.prototype's names, names equal but for case, NUL, SQLite's rowid
// aliases, __proto__ and prototype. Each is stored (renamed as the README documents where SQLite needs it), on
// the first sync and the next. Against a hostile loopback server, with the compiled binary.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { runBinary } from "../../testkit/processes";
import { tempDb } from "../helpers/sync";

const BASE = '"id":1,"updatedAt":"2024-01-01T00:00:00Z"';
/** Raw JSON text, so keys such as __proto__ reach the connector exactly as a server sends them. */
const CASES: Record<string, { record: string; expect: Record<string, unknown> }> = {
  prototype: {
    record: `{${BASE},"toString":"a","valueOf":2,"constructor":"c","hasOwnProperty":"h"}`,
    expect: { toString: "a", valueOf: 2, constructor: "c", hasOwnProperty: "h" },
  },
  "case only": { record: `{${BASE},"ID":"upper"}`, expect: { id: 1, ID_2: "upper" } },
  nul: { record: `{${BASE},"a\\u0000b":"x"}`, expect: { a_b: "x" } },
  rowid: { record: `{${BASE},"rowid":"r"}`, expect: { rowid: "r" } },
  "rowid aliases": { record: `{${BASE},"rowid":7,"oid":"o","_rowid_":"q"}`, expect: { rowid: 7, oid: "o", _rowid_: "q" } },
  ["__proto__"]: { record: `{${BASE},"__proto__":{"x":1},"prototype":"p"}`, expect: { ["__proto__"]: '{"x":1}', prototype: "p" } },
};

let server: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  // Not the mock: it must send raw JSON text with keys (__proto__, NUL) no mock record holds.
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (request) => {
      const which = decodeURIComponent(new URL(request.url).pathname.slice(1));
      const record = CASES[which]?.record ?? "{}";
      return new Response(`{"data":[${record}],"total":1}`, { headers: { "content-type": "application/json" } });
    },
  });
});
afterAll(() => server.stop(true));

for (const [name, { expect: stored }] of Object.entries(CASES)) {
  test(`a record with ${name} keys is stored, and synced again`, async () => {
    const db = tempDb();
    const args = ["sync", "--base-url", `http://127.0.0.1:${server.port}/${encodeURIComponent(name)}`, "--strategy", "offset", "--db", db, "--quiet"];
    for (let run = 0; run < 2; run++) {
      const result = await runBinary(args);
      expect({ run, stderr: result.stderr, code: result.code }).toEqual({ run, stderr: "", code: 0 });
    }
    const sqlite = new Database(db, { readonly: true });
    const rows = sqlite.query("SELECT * FROM user").all() as Record<string, unknown>[];
    sqlite.close();
    expect(rows).toHaveLength(1);
    for (const [column, value] of Object.entries(stored))
      expect({ column, value: Object.hasOwn(rows[0]!, column) ? rows[0]![column] : "(missing)" }).toEqual({ column, value });
  });
}
