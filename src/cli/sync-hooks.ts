// What the sync command adds to each run: its record for `connector status`, and the kill switch of the tests.
import type { PageStep, SyncSummary } from "../connector/driver";
import type { Store } from "../store/types";

/** Records a run's start now; the function returned records its end (never failing the run over it). */
export async function recordRun(
  store: Store,
  table: string,
  source: string,
): Promise<(outcome: "ok" | "failed" | "interrupted", summary: SyncSummary | null, error?: { code: string; message: string }) => Promise<void>> {
  const id = await store.startRun(table, source, new Date().toISOString());
  return async (outcome, summary, error) => {
    if (store.pending) return; // the last pages could not be committed: the run row stays `running`, read as ended
    try {
      await store.finishRun(id, { endedAt: new Date().toISOString(), outcome, rows: summary?.rows ?? 0, pages: summary?.pages ?? 0, error });
    } catch {
      // The outcome is reported on the terminal anyway; a database that cannot take this row has said why already.
    }
  };
}

/**
 * CONNECTOR_TEST_KILL_AT=<step>:<page> makes the process SIGKILL itself at that step of that page: how tests
 * prove a kill at any instant loses nothing. Unset in normal use. With several streams, `<step>:<page>:<stream>`
 * counts that stream's pages (without a stream, each stream's own pages count).
 */
export function killSwitch(spec: string | undefined, stream?: string): ((step: PageStep, page: number) => void) | undefined {
  const match = spec?.match(/^(before-fetch|after-fetch|mid-transaction|after-write|after-commit):(\d+)(?::(\w+))?$/);
  if (!match || (match[3] !== undefined && match[3] !== stream)) return undefined;
  const [, at, page] = match;
  return (step, n) => {
    if (step === at && n === Number(page)) process.kill(process.pid, "SIGKILL");
  };
}
