import type { Position } from "../paginators";
import { PageReader } from "./page-reader";
import type { PageSource, ReadHooks, ReadPage, ReadStart } from "./types";

export type { PageSource, ReadHooks, ReadPage, ReadProgress, ReadStart } from "./types";

/**
 * The pages of one run, read the way dlt's RESTClient.paginate() reads them: send, receive, detect the strategy
 * once, extract and check the page, advance the position, stop at the end. The next request is sent before a
 * page is handed on (pipelining: it travels while the caller writes this one); whatever stops the run (a
 * signal, max_pages) is thrown only when the caller asks for the page after, so the page before it is written.
 */
export async function* readPages(source: PageSource, start: ReadStart, hooks: ReadHooks = {}): AsyncGenerator<ReadPage, void, undefined> {
  const reader = new PageReader(source, start, hooks);
  reader.send(reader.position, false, 1);
  for (;;) {
    const { response, received } = await reader.receive();
    await reader.checkFirstPage(response);
    const checked = reader.check(response);
    if (checked === null) continue; // the same position is asked again (a corrected page size)
    const page = reader.prepare(checked, received);
    const stop = page.last ? null : reader.requestNext(checked.step);
    yield { ...page, stopping: stop !== null || reader.progress.stoppedEarly, progress: reader.snapshot() };
    if (page.last || reader.progress.stoppedEarly) return;
    if (stop) throw stop;
    reader.position = checked.step.next as Position;
  }
}
