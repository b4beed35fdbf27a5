// The torture scenarios (issue 7). Each returns verdict rows; none trusts the connector's own report.
import { connectorBinary } from "../../testkit/binary";
import { naiveOffsetSync, naiveStrictCursorSync } from "../../testkit/naive";
import { runBinary } from "../../testkit/processes";
import { deletedIds } from "../../testkit/db";
import { compare, loggedRows, tempDb, oracle, setMutationRate, STRATEGIES, syncArgs, withMock, type Row, type Size } from "./common";

/** Scenario 3 and its negative control run against the same source under the same change rate. */
const liveMockArgs = (size: Size) => ["--records", String(size.records), "--seed", "73", ...(size.latencyMs ? ["--latency-ms", String(size.latencyMs)] : [])];
const verdict = (r: { lost: number; wrong: number; duplicated: number; integrityOk: boolean }) =>
  r.lost + r.wrong + r.duplicated === 0 && r.integrityOk ? "ok" : "FAIL";

async function runKilledAfter(args: string[], ms: number): Promise<{ killed: boolean; code: number | null; stderr: string }> {
  const proc = Bun.spawn([await connectorBinary(), ...args], { stdout: "ignore", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), ms);
  const stderr = await new Response(proc.stderr).text();
  await proc.exited;
  clearTimeout(timer);
  return { killed: proc.signalCode === "SIGKILL", code: proc.exitCode, stderr };
}

/**
 * Scenario 1 commits every few pages: often enough that kills 20-200 ms apart still make progress, in groups, so
 * a kill can land inside an open checkpoint.
 */
const CHECKPOINT_PAGES = 3;

/** 1. SIGKILL at random moments, then resume to the end; re-fetched rows per kill must stay within one checkpoint. */
export async function killAndResume(size: Size, random: () => number): Promise<Row[]> {
  const rows: Row[] = [];
  await withMock(["--records", String(size.records), "--seed", "71", "--max-page-size", "1000"], async (mock) => {
    const expected = await oracle(mock);
    for (const strategy of STRATEGIES) {
      for (const pageSize of size.pageSizes) {
        const db = tempDb();
        const page = strategy === "keyset" ? 50 : pageSize;
        let kills = 0;
        let runs = 0;
        let logged = 0;
        for (let done = false; !done && runs < size.kills * 4 + 20; ) {
          runs++;
          const last = kills >= size.kills;
          const run = await runKilledAfter(
            [...syncArgs(mock, strategy, db, pageSize), "--checkpoint-rows", String(CHECKPOINT_PAGES * page)],
            last ? 600_000 : size.killWindowMs[0] + random() * (size.killWindowMs[1] - size.killWindowMs[0]),
          );
          logged += loggedRows(run.stderr);
          if (run.killed) kills++;
          else done = run.code === 0;
          if (!run.killed && run.code !== 0) throw new Error(`${strategy}: sync failed: ${run.stderr.slice(-400)}`);
        }
        const result = compare(db, expected);
        const perKill = kills ? Math.max(0, logged - result.rows) / kills : 0;
        // A kill loses the pages written since the last checkpoint, never more.
        const ok = verdict(result) === "ok" && perKill <= CHECKPOINT_PAGES * page;
        rows.push({
          scenario: "1 kill+resume",
          strategy: `${strategy} p${pageSize}`,
          runs,
          injected: `${kills} kills, ${perKill.toFixed(1)} re-fetched/kill`,
          ...result,
          result: ok ? "ok" : "FAIL",
        });
      }
    }
  });
  return rows;
}

/** 3. The source changes during the sync; then a quiet sync must make the table equal to the source. */
export async function liveChange(size: Size): Promise<Row[]> {
  const rows: Row[] = [];
  await withMock(liveMockArgs(size), async (mock) => {
    for (const strategy of STRATEGIES) {
      await setMutationRate(mock, 0);
      const before = await oracle(mock);
      await setMutationRate(mock, size.writesPerSec);
      const db = tempDb();
      const run = await runBinary(syncArgs(mock, strategy, db, 50));
      await setMutationRate(mock, 0);
      const after = await oracle(mock);
      const unchanged = [...before.keys()].filter((id) => after.get(id)?.updatedAt === before.get(id)?.updatedAt);
      const during = compare(db, after, unchanged);
      const quiet = await runBinary(syncArgs(mock, strategy, db, 50));
      const converged = compare(db, await oracle(mock));
      const ok = run.code === 0 && quiet.code === 0 && verdict(during) === "ok" && verdict(converged) === "ok";
      rows.push({
        scenario: "3 live change",
        strategy,
        runs: 2,
        rows: converged.rows,
        injected: `${after.size - before.size + (before.size - unchanged.length)} writes`,
        lost: during.lost + converged.lost,
        duplicated: converged.duplicated,
        wrong: during.wrong + converged.wrong,
        result: ok ? "ok" : "FAIL",
      });
    }
  });
  return rows;
}

/**
 * 3, hard deletes: a full refresh while rows are updated, inserted and deleted marks no live row deleted; after the
 * writes stop, one more full refresh leaves exactly the source live and every deleted row marked `_deleted = 1`.
 */
export async function hardDeletes(size: Size): Promise<Row[]> {
  const rows: Row[] = [];
  await withMock([...liveMockArgs(size), "--delete-share", "0.3"], async (mock) => {
    for (const strategy of STRATEGIES) {
      await setMutationRate(mock, 0);
      const db = tempDb();
      const first = await runBinary(syncArgs(mock, strategy, db, 50));
      const before = await oracle(mock);
      await setMutationRate(mock, size.writesPerSec);
      const live = await runBinary([...syncArgs(mock, strategy, db, 50), "--full-refresh"]);
      await setMutationRate(mock, 0);
      const after = await oracle(mock);
      const falseDeletes = [...deletedIds(db)].filter((id) => after.has(id)).length;
      const quiet = await runBinary([...syncArgs(mock, strategy, db, 50), "--full-refresh"]);
      const converged = compare(db, after);
      const marked = deletedIds(db);
      const gone = [...before.keys()].filter((id) => !after.has(id));
      const missed = gone.filter((id) => !marked.has(id)).length;
      const ran = first.code === 0 && live.code === 0 && quiet.code === 0;
      const ok = ran && falseDeletes === 0 && missed === 0 && verdict(converged) === "ok";
      rows.push({
        scenario: "3 hard deletes",
        strategy,
        runs: 3,
        rows: converged.rows,
        injected: `${gone.length} deletes`,
        lost: converged.lost + falseDeletes,
        duplicated: converged.duplicated,
        wrong: converged.wrong + missed,
        result: gone.length === 0 ? "TOO WEAK" : ok ? "ok" : "FAIL",
        note: falseDeletes || missed ? `${falseDeletes} live rows marked deleted, ${missed} deletes not marked` : undefined,
      });
    }
  });
  return rows;
}

/** 4. Groups of equal updatedAt around the page size, on page boundaries. */
export async function ties(): Promise<Row[]> {
  const rows: Row[] = [];
  const page = 50;
  for (const group of [2, page - 1, page, page + 1, 3 * page]) {
    await withMock(["--records", String(7 * group + 13), "--seed", String(group), "--same-second", String(group)], async (mock) => {
      const expected = await oracle(mock);
      for (const strategy of STRATEGIES) {
        const db = tempDb();
        const run = await runBinary([...syncArgs(mock, strategy, db, page), "--max-pages", "1000"]);
        const result = compare(db, expected);
        rows.push({ scenario: "4 ties", strategy, runs: 1, injected: `groups of ${group}`, ...result, result: run.code === 0 ? verdict(result) : "FAIL" });
      }
    });
  }
  return rows;
}

/** 5. Negative controls: naive paging must lose rows in scenarios 3 and 4, or those scenarios prove nothing. */
export async function negativeControls(size: Size): Promise<Row[]> {
  const rows: Row[] = [];
  await withMock(liveMockArgs(size), async (mock) => {
    const before = await oracle(mock);
    await setMutationRate(mock, size.writesPerSec);
    const naive = await naiveOffsetSync((request) => fetch(request), 50, mock.url);
    await setMutationRate(mock, 0);
    const after = await oracle(mock);
    const lost = [...before.keys()].filter((id) => after.get(id)?.updatedAt === before.get(id)?.updatedAt && !naive.has(id)).length;
    rows.push({
      scenario: "5 control: bare offset",
      strategy: "naive",
      runs: 1,
      rows: naive.size,
      injected: "live change",
      lost,
      duplicated: 0,
      wrong: 0,
      result: lost > 0 ? "ok" : "TOO WEAK",
      note: "must lose rows",
    });
  });
  await withMock(["--records", "400", "--seed", "75", "--same-second", "51"], async (mock) => {
    const naive = await naiveStrictCursorSync((request) => fetch(request), mock.url);
    const lost = (await oracle(mock)).size - naive.size;
    rows.push({
      scenario: "5 control: strict > cursor",
      strategy: "naive",
      runs: 1,
      rows: naive.size,
      injected: "ties of 51",
      lost,
      duplicated: 0,
      wrong: 0,
      result: lost > 0 ? "ok" : "TOO WEAK",
      note: "must lose rows",
    });
  });
  return rows;
}

/** 6. A second sync on the same database is refused at once while the first finishes exactly. */
export async function singleWriter(): Promise<Row[]> {
  return withMock(["--records", "400", "--seed", "76", "--latency-ms", "25"], async (mock) => {
    const db = tempDb();
    const first = runBinary(syncArgs(mock, "offset", db, 10));
    await Bun.sleep(500);
    const started = performance.now();
    const second = await runBinary(syncArgs(mock, "offset", db, 10));
    const refusedFast = second.code === 1 && second.stderr.includes("in use by another sync") && performance.now() - started < 3000;
    const done = await first;
    const result = compare(db, await oracle(mock));
    return [
      {
        scenario: "6 single writer",
        strategy: "offset",
        runs: 2,
        injected: refusedFast ? "second refused at once" : "second NOT refused",
        ...result,
        result: refusedFast && done.code === 0 ? verdict(result) : "FAIL",
      },
    ];
  });
}
