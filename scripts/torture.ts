// The torture harness (issue 7): attacks the compiled binaries the way production does and compares every synced
// table with the mock's oracle. Prints one table; exits 1 if any row is not ok.
//   bun scripts/torture.ts [--size full|ci] [--seed N] [--only 1,3]
import { scriptArgs } from "./script-args";
import { prng, SIZES, type Row } from "./torture/common";
import { stepKills } from "./torture/step-kills";
import { httpFaults } from "./torture/faults";
import { streamsTorture } from "./torture/streams";
import { hardDeletes, killAndResume, liveChange, negativeControls, singleWriter, ties } from "./torture/scenarios";

const { values } = scriptArgs(import.meta.path, {
  args: Bun.argv.slice(2),
  options: { size: { type: "string", default: "full" }, seed: { type: "string", default: "1" }, only: { type: "string" } },
});
if (values.size !== "full" && values.size !== "ci") {
  console.error("torture: --size must be full or ci");
  process.exit(2);
}
const size = SIZES[values.size];
const random = prng(Number(values.seed));
const only = values.only ? new Set(values.only.split(",").map(Number)) : null;
const scenarios: [number, () => Promise<Row[]>][] = [
  [1, async () => [...(await killAndResume(size, random)), ...(await stepKills(size))]],
  [2, () => httpFaults(size)],
  [3, async () => [...(await liveChange(size)), ...(await hardDeletes(size))]],
  [4, () => ties()],
  [5, () => negativeControls(size)],
  [6, () => singleWriter()],
  [7, () => streamsTorture(size, random)],
];

const rows: Row[] = [];
for (const [n, run] of scenarios) {
  if (only && !only.has(n)) continue;
  const started = performance.now();
  const got = await run();
  rows.push(...got);
  console.error(`torture: scenario ${n} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const header = ["scenario", "strategy", "runs", "rows", "kills/faults injected", "lost", "duplicated", "wrong", "result"];
const table = rows.map((r) => [
  r.scenario,
  r.strategy,
  String(r.runs),
  String(r.rows),
  r.injected,
  String(r.lost),
  String(r.duplicated),
  String(r.wrong),
  r.result + (r.note ? ` (${r.note})` : ""),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
console.log(`torture --size ${values.size} --seed ${values.seed}`);
console.log(line(header));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const row of table) console.log(line(row));
const failed = rows.filter((r) => r.result === "FAIL" || r.result === "TOO WEAK");
console.log(failed.length ? `${failed.length} rows FAILED` : "all rows ok");
process.exit(failed.length ? 1 : 0);
