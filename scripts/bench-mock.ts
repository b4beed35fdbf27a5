// Benchmarks the compiled mock: start-up (spawn to first 200 response), RSS, and one client's requests/s and rows/s
// over loopback for several page sizes, at 200 and 1,000,000 records. A bounded number of requests per case.
//   bun scripts/bench-mock.ts [path/to/connector] [--records 200,1000000]
import { scriptArgs } from "./script-args";
import { binaryPath, memory, startMock } from "./bench-lib";

const { values, positionals } = scriptArgs(import.meta.path, { args: Bun.argv.slice(2), allowPositionals: true, options: { records: { type: "string" } } });
const bin = binaryPath(positionals[0], "bench-mock");
const SIZES = (values.records ?? "200,1000000").split(",").map(Number);

/** Sequential requests over one keep-alive client: pages of `size` rows spread across the table. */
async function throughput(url: string, records: number, size: number, requests: number) {
  const pages = Math.max(1, Math.floor(records / size));
  let rows = 0;
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    const offset = ((i * 7919) % pages) * size;
    const res = await fetch(`${url}/pagination/offset?limit=${size}&offset=${offset}`);
    const body = (await res.json()) as { data: unknown[] };
    rows += body.data.length;
  }
  const seconds = (performance.now() - started) / 1000;
  return { size, requests, reqPerSec: Math.round(requests / seconds), rowsPerSec: Math.round(rows / seconds) };
}

async function latency(url: string, path: string, requests: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < requests; i++) await (await fetch(`${url}${path}`)).arrayBuffer();
  return Math.round(((performance.now() - started) / requests) * 100) / 100;
}

for (const records of SIZES) {
  const { proc, url, startupMs, stop } = await startMock(bin, records);
  try {
    const atStart = memory(proc.pid);
    const cases = [];
    for (const [size, requests] of [
      [50, 3000],
      [100, 2000],
      [1000, 500],
    ] as const) {
      if (size <= records) cases.push(await throughput(url, records, size, requests));
    }
    const deep = records > 1000 ? await latency(url, `/pagination/offset?limit=100&offset=${records - 1000}`, 20) : undefined;
    const deepCreated = records > 1000 ? await latency(url, `/pagination/offset?limit=100&order_by=createdAt&offset=${records - 1000}`, 20) : undefined;
    const after = memory(proc.pid);
    console.log(
      `\n== ${records.toLocaleString("en")} records: ready in ${startupMs} ms; RSS ${atStart.rssMb} MB at start, ${after.rssMb} MB after, peak ${after.peakMb} MB`,
    );
    for (const c of cases)
      console.log(`   ${String(c.size).padStart(4)}-row pages: ${c.reqPerSec} req/s, ${c.rowsPerSec} rows/s (${c.requests} requests, JSON parsed)`);
    if (deep !== undefined) console.log(`   deep page (offset ${records - 1000}): ${deep} ms updatedAt order, ${deepCreated} ms createdAt order (mean of 20)`);
  } finally {
    await stop();
  }
}
