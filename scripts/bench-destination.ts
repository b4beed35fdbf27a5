// Where one bench run writes: a fresh SQLite file in the run's folder, or a fresh schema in the PostgreSQL server
// given with --postgres (dropped after the run), for the sync and for the store ceiling each.
import { SQL } from "bun";
import { join } from "node:path";

export interface Destination {
  kind: "sqlite" | "postgres";
  /** --db of the sync (and its no-op rerun). */
  sync: string;
  /** --db of the store ceiling. */
  ceiling: string;
  drop(): Promise<void>;
}

let runs = 0;

function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("schema", schema);
  return parsed.href;
}

export async function destination(kind: Destination["kind"], work: string, postgres?: string): Promise<Destination> {
  if (kind === "sqlite" || !postgres) return { kind: "sqlite", sync: join(work, "bench.db"), ceiling: join(work, "ceiling.db"), drop: async () => {} };
  const base = `bench_${process.pid}_${++runs}`;
  const schemas = [`${base}_sync`, `${base}_ceiling`];
  return {
    kind,
    sync: withSchema(postgres, schemas[0] as string),
    ceiling: withSchema(postgres, schemas[1] as string),
    async drop() {
      const db = new SQL(postgres, { max: 1 });
      try {
        for (const schema of schemas) await db.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await db.close();
      }
    },
  };
}
