// Scenario 1, the deterministic half: SIGKILL at each step of a page (the binary's CONNECTOR_TEST_KILL_AT hook),
// for a first sync and for a full refresh, then resume to the end and compare with the oracle.
import { runBinary } from "../../testkit/processes";
import { deletedIds } from "../../testkit/db";
import { compare, oracle, STRATEGIES, syncArgs, tempDb, withMock, type Row, type Size } from "./common";

const STEPS = ["before-fetch", "after-fetch", "mid-transaction", "after-write", "after-commit"] as const;

export async function stepKills(size: Size): Promise<Row[]> {
  const rows: Row[] = [];
  const records = Math.min(size.records / 5, 20_000);
  // The kill lands on a page in the middle of the run (page 50-row pages; keyset's pages are 50 too).
  const page = Math.max(2, Math.floor(records / 50 / 2));
  await withMock(["--records", String(records), "--seed", "77", "--same-second", "3"], async (mock) => {
    const expected = await oracle(mock);
    for (const strategy of STRATEGIES) {
      for (const refresh of [false, true]) {
        let failures = 0;
        let killed = 0;
        let worst = { lost: 0, duplicated: 0, wrong: 0 };
        for (const step of STEPS) {
          const db = tempDb();
          const args = syncArgs(mock, strategy, db, 50);
          if (refresh && (await runBinary(args)).code !== 0) failures++;
          const extra = refresh ? ["--full-refresh"] : [];
          const cut = await runBinary([...args, ...extra], { env: { CONNECTOR_TEST_KILL_AT: `${step}:${page}` } });
          if (cut.signal === "SIGKILL") killed++;
          const resumed = await runBinary(args);
          const result = compare(db, expected);
          const marked = deletedIds(db).size;
          if (resumed.code !== 0 || result.lost + result.wrong + result.duplicated + marked > 0 || !result.integrityOk) failures++;
          worst = {
            lost: Math.max(worst.lost, result.lost + marked),
            duplicated: Math.max(worst.duplicated, result.duplicated),
            wrong: Math.max(worst.wrong, result.wrong),
          };
        }
        rows.push({
          scenario: "1 kill at each step",
          strategy: `${strategy}${refresh ? " full refresh" : ""}`,
          runs: STEPS.length * (refresh ? 3 : 2),
          rows: records,
          injected: `${killed} kills at page ${page}`,
          ...worst,
          result: failures === 0 && killed === STEPS.length ? "ok" : "FAIL",
        });
      }
    }
  });
  return rows;
}
