// The compiled binaries on loopback: serve-mock changing rows on a timer while sync pages through it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { NO_DIFF, dataset, diff } from "../../testkit/oracle";
import { naiveOffsetSync } from "../../testkit/naive";
import { runBinary, startMockBinary, type RunningMock } from "../../testkit/processes";
import { integrityOk, tempDb } from "../helpers/sync";

let mock: RunningMock;
const oracle = () => dataset((request) => fetch(request), mock.url);
const setRate = (perSec: number) =>
  fetch(`${mock.url}/_mock/mutations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ per_sec: perSec }) }).then(
    (r) => {
      if (r.status !== 200) throw new Error(`POST /_mock/mutations answered ${r.status}`);
    },
  );

beforeAll(async () => {
  mock = await startMockBinary(["--records", "20000", "--seed", "77"]);
}, 30_000);
afterAll(async () => {
  await mock.stop();
});

describe("sync while serve-mock --mutate-per-sec changes the source", () => {
  for (const style of ["offset", "page_number"] as const) {
    test(`${style}: no unchanged row is lost; one more quiet sync converges`, async () => {
      await setRate(0);
      const before = await oracle();
      await setRate(300);
      const db = tempDb();
      const run = await runBinary(["sync", "--base-url", `${mock.url}/pagination/${style}`, "--strategy", style, "--db", db, "--quiet", "--log", "json"]);
      expect(run.code).toBe(0);
      // Negative control: plain offset paging under the same live change loses rows.
      const naive = await naiveOffsetSync((request) => fetch(request), 50, mock.url);
      await setRate(0);
      const after = await oracle();
      const unchanged = [...before.keys()].filter((id) => after.get(id)?.updatedAt === before.get(id)?.updatedAt);
      expect(after.size).toBeGreaterThan(before.size); // inserts happened
      expect(unchanged.length).toBeLessThan(before.size); // updates happened
      expect(diff(db, after, { only: unchanged })).toEqual(NO_DIFF);
      expect(unchanged.filter((id) => !naive.has(id)).length).toBeGreaterThan(0);

      const quiet = await runBinary(["sync", "--base-url", `${mock.url}/pagination/${style}`, "--strategy", style, "--db", db, "--quiet"]);
      expect(quiet.code).toBe(0);
      expect(diff(db, await oracle())).toEqual(NO_DIFF);
      expect(integrityOk(db)).toBe(true);
    }, 60_000);
  }
});
