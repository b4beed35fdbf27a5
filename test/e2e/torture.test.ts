// The torture harness at CI size (scripts/torture.ts runs the full size): every verdict row must be ok, and
// every negative control must lose rows (otherwise the scenario proves nothing).
import { describe, expect, test } from "bun:test";
import { prng, SIZES, type Row } from "../../scripts/torture/common";
import { stepKills } from "../../scripts/torture/step-kills";
import { httpFaults } from "../../scripts/torture/faults";
import { streamsTorture } from "../../scripts/torture/streams";
import { hardDeletes, killAndResume, liveChange, negativeControls, singleWriter, ties } from "../../scripts/torture/scenarios";

const verdicts = (rows: Row[]) => rows.map((r) => `${r.scenario} ${r.strategy}: ${r.result} (lost ${r.lost}, wrong ${r.wrong}, dup ${r.duplicated})`);
const allOk = (rows: Row[]) => verdicts(rows).filter((v) => !v.includes(": ok ("));

describe("torture, CI size", () => {
  const size = SIZES.ci;
  test("1 random SIGKILLs then resume, every strategy and page size", async () => expect(allOk(await killAndResume(size, prng(7)))).toEqual([]), 180_000);
  test("1 SIGKILL at each step of a page, first sync and full refresh, then resume", async () => expect(allOk(await stepKills(size))).toEqual([]), 180_000);
  test("2 HTTP faults and a permanent 500", async () => expect(allOk(await httpFaults(size))).toEqual([]), 180_000);
  test("3 the source changing during the sync", async () => expect(allOk(await liveChange(size))).toEqual([]), 180_000);
  test("3 hard deletes found by a full refresh under live change", async () => expect(allOk(await hardDeletes(size))).toEqual([]), 180_000);
  test("4 ties around the page size", async () => expect(allOk(await ties())).toEqual([]), 180_000);
  test("5 negative controls lose rows", async () => {
    const rows = await negativeControls(size);
    expect(rows.map((r) => r.lost > 0)).toEqual([true, true]);
    expect(allOk(rows)).toEqual([]);
  }, 180_000);
  test("6 one writer", async () => expect(allOk(await singleWriter())).toEqual([]), 60_000);
  test("7 four streams with a child: SIGKILLs under live change, a killed full refresh with hard deletes", async () => {
    const rows = await streamsTorture(size, prng(7));
    expect(rows.map((r) => r.scenario)).toEqual(["7 streams kill+live", "7 streams hard deletes"]);
    expect(allOk(rows)).toEqual([]);
  }, 180_000);
});
