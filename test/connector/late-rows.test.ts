// A filter `modified > value` is read by sending the value before each anchor (exclusive-since.test.ts). A row
// committed late (a transaction that stamped it before it committed) can carry a value between the two: the API
// returns it ahead of the anchor's group. It used to stop the sync as "out of order" (exit 1) on a healthy API.
import { expect, test } from "bun:test";
import type { FetchLike } from "../../src/connector/http/client";
import { items } from "../helpers/dialects";
import { LENIENT_PAGING, lenientApi } from "../helpers/lenient-server";
import { syncOnce, tableRows, tempDb } from "../helpers/sync";

const ids = (db: string) => [...tableRows(db).keys()].map(Number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const base = { base_url: "http://lenient.test/api/items", cursor_field: "modified", params: {}, page_size: 50 };

for (const { strategy, style, size, response } of LENIENT_PAGING) {
  test.each([3, 4, 5, 6])(
    `${strategy}: a row committed late, between the value sent and the anchor, before request %i, is read (not out of order)`,
    async (when) => {
      const data = items(500, 7);
      const api = lenientApi(data, { style, sizeParam: "limit", sinceParam: "updated_since", exclusiveSince: true, byInstant: true });
      let served = 0;
      const fetch: FetchLike = async (request) => {
        const sent = new URL(request.url).searchParams.get("updated_since");
        if (++served === when && sent) {
          const late = new Date(Date.parse(sent) + 500).toISOString();
          const at = data.findIndex((d) => Date.parse(d.modified) > Date.parse(late));
          data.splice(at, 0, { id: 501, title: "late", modified: late });
        }
        return api.fetch(request);
      };
      const db = tempDb();
      const config = { ...base, strategy, request: { since_param: "updated_since", ...size }, response };
      const run = await syncOnce(db, config, fetch);
      expect(run.error).toBeUndefined();
      expect(ids(db)).toEqual(range(501));
    },
  );
}
