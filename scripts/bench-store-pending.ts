// The `pending` variant of scripts/bench-store.ts: a prototype of key-ordered writes with exact per-page counts.
// A page's rows are upserted, with the store's own SQL and counting, into a temp table that holds the checkpoint's
// rows by key (the stored rows of the page's keys copied in first, so the upsert sees what the table holds); the
// checkpoint then merges the rows that changed into the table in key order, touching each index page once.
import type { Database, Statement } from "bun:sqlite";
import { upsertSql } from "../src/store/sqlite/upsert-sql";
import type { Row, TableSpec, WriteCounts } from "../src/store/types";

const q = (name: string) => `"${name}"`;

/**
 * The keys the table may hold, as 32-bit fingerprints in an open-addressing table (4 bytes a slot): a key it says
 * is absent is certainly absent, so a new key needs no read of the index; a false "maybe" only costs that read.
 */
export class KeyFilter {
  private readonly slots: Uint32Array;
  private readonly mask: number;
  constructor(bits: number) {
    this.slots = new Uint32Array(2 ** bits);
    this.mask = 2 ** bits - 1;
  }
  private static hashes(key: string): [number, number] {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    return [a >>> 0, (b >>> 0) | 1];
  }
  /** Adds the key; true when it may have been there already. */
  add(key: string, insert = true): boolean {
    const [h, f] = KeyFilter.hashes(key);
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.slots[i] as number;
      if (slot === f) return true;
      if (slot === 0) {
        if (insert) this.slots[i] = f;
        return false;
      }
    }
  }
}

export class Pending {
  private readonly copy: Statement;
  private readonly upsert: Statement;
  private readonly merge: Statement;
  private readonly highest: Statement<{ m: number | null }, []>;
  private readonly stale: Statement<{ c: string | null }, [string]>;

  constructor(
    private readonly db: Database,
    private readonly spec: TableSpec,
    private readonly names: readonly string[],
  ) {
    const all = [...names, "_synced_at", "_deleted"].map(q).join(", ");
    const key = q(spec.primaryKey[0] as string);
    // TEMP_CACHE_MB: the temp table's page cache, to see what it adds to RSS (at 1M rows: 64 MB 243 MB peak, 8 MB 233 MB).
    db.run(`PRAGMA temp.cache_size = -${Number(process.env.TEMP_CACHE_MB ?? 64) * 1024}`);
    db.run(`CREATE TEMP TABLE pending AS SELECT ${all}, 0 AS _changed FROM main.${q(spec.table)} WHERE false`);
    db.run(`CREATE UNIQUE INDEX temp.pending_key ON pending (${key})`);
    this.copy = db.prepare(
      `INSERT OR IGNORE INTO temp.pending (${all}, _changed) SELECT ${all}, 0 FROM main.${q(spec.table)} WHERE ${key} IN (SELECT value FROM json_each(?))`,
    );
    // The store's upsert, aimed at the pending table, marking what it inserts or updates.
    const sql = upsertSql({ ...spec, table: "pending" }, names)
      .replace('INSERT INTO "pending" (', "INSERT INTO temp.pending (")
      .replace(/, _deleted\) VALUES \(([^)]*), 0\)/, ", _deleted, _changed) VALUES ($1, 0, 1)")
      .replace(" DO UPDATE SET ", " DO UPDATE SET _changed = 1, ");
    this.upsert = db.prepare(sql);
    const set = [...names.filter((n) => !spec.primaryKey.includes(n)), "_synced_at", "_deleted"].map((n) => `${q(n)} = excluded.${q(n)}`).join(", ");
    this.merge = db.prepare(
      `INSERT INTO main.${q(spec.table)} (${all}) SELECT ${all} FROM temp.pending WHERE _changed ORDER BY ${key} ON CONFLICT (${key}) DO UPDATE SET ${set}`,
    );
    this.highest = db.prepare("SELECT max(rowid) AS m FROM temp.pending");
    this.stale = db.prepare(`SELECT ${q(spec.cursorField)} AS c FROM temp.pending WHERE ${key} = ?`);
  }

  /** One page: exact counts, as PageUpsert counts them, against the table as the checkpoint has it so far. */
  write(rows: readonly Row[], now: string, filter?: KeyFilter): WriteCounts {
    const key = this.spec.primaryKey[0] as string;
    const maybe = filter ? rows.filter((row) => filter.add(row[key] as string)) : rows;
    if (maybe.length > 0) this.copy.run(JSON.stringify(maybe.map((row) => row[key])));
    let highest = this.highest.get()?.m ?? 0;
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, stale: 0 };
    const values = new Array<string | null>(this.names.length + 1);
    values[this.names.length] = now;
    for (const row of rows) {
      for (let c = 0; c < this.names.length; c++) values[c] = (row[this.names[c] as string] as string | undefined) ?? null;
      const { changes, lastInsertRowid } = this.upsert.run(...values);
      if (changes > 0 && Number(lastInsertRowid) > highest) {
        counts.inserted++;
        highest = Number(lastInsertRowid);
      } else if (changes > 0) counts.updated++;
      else if ((this.stale.get(row[key] as string)?.c ?? "") > (row[this.spec.cursorField] as string)) counts.stale++;
      else counts.unchanged++;
    }
    return counts;
  }

  /** At the checkpoint: what changed goes into the table in key order; the pending table is emptied. */
  flush(): number {
    const { changes } = this.merge.run();
    this.db.run("DELETE FROM temp.pending");
    return changes;
  }

  finalize(): void {
    for (const statement of [this.copy, this.upsert, this.merge, this.highest, this.stale]) statement.finalize();
  }
}
