// The store gate: concurrent streams share one store, but never one open checkpoint.
import { afterEach, describe, expect, test } from "bun:test";
import { StoreGate } from "../../src/connector/store-gate";
import { openStore } from "../../src/store/open";
import type { Store, TableSpec } from "../../src/store/types";
import { tempDb } from "../helpers/sync";

const spec = (table: string): TableSpec => ({ table, primaryKey: ["id"], cursorField: "updatedAt" });
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, updatedAt: "2024-01-01T00:00:00Z" }));

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe("StoreGate", () => {
  test("each stream's handle asks the store how large a checkpoint into its table should be", async () => {
    const store = await openStore(tempDb(), { mode: "writer", tables: ["a", "b"] });
    stores.push(store);
    const asked: string[] = [];
    const gate = new StoreGate(
      Object.assign(Object.create(store) as Store, { checkpointRows: (table: string) => (asked.push(table), table === "a" ? 250_000 : 0) }),
    );
    expect([gate.handle().checkpointRows?.("a"), gate.handle().checkpointRows?.("b")]).toEqual([250_000, 0]);
    expect(asked).toEqual(["a", "b"]);
  });

  test("a second stream's page commits the first one's open checkpoint before it writes; neither commits the other's; a failing page rolls back only its own", async () => {
    const db = tempDb();
    const store = await openStore(db, { mode: "writer", tables: ["a", "b"] });
    const reader = await openStore(db, { mode: "reader" });
    stores.push(store, reader);
    const gate = new StoreGate(store);
    const [a, b] = [gate.handle(), gate.handle()];
    await a.writePage({ spec: spec("a"), rows: rows(3), state: { a: 1 } });
    expect(a.pending).toBe(true);
    expect(b.pending).toBe(false); // a's open checkpoint is not b's work
    expect(await b.checkpoint()).toBe(false); // and not b's to commit
    expect(await reader.readState("a")).toBeNull();
    // a is between pages: b's write commits a's whole pages first, then opens its own checkpoint.
    await b.writePage({ spec: spec("b"), rows: rows(2), state: { b: 1 } });
    expect(await reader.readState("a")).toEqual({ a: 1 });
    expect(await reader.readState("b")).toBeNull();
    expect([a.pending, b.pending]).toEqual([false, true]);
    expect(await a.checkpoint()).toBe(false); // a has nothing open any more
    // b's failing page rolls back b's open checkpoint only: a's committed rows stay.
    await expect(
      b.writePage({
        spec: spec("b"),
        rows: rows(1),
        state: { b: 2 },
        midTransaction: () => {
          throw new Error("disk full");
        },
      }),
    ).rejects.toThrow("disk full");
    expect(await reader.readState("b")).toBeNull();
    expect(await reader.rowCounts("a")).toEqual({ live: 3, deleted: 0 });
    // A page half written is never committed under its stream: the other stream waits for it, then commits it.
    let bWrite: Promise<unknown> | undefined;
    let during: unknown = "not yet";
    await a.writePage({
      spec: spec("a"),
      rows: rows(5),
      state: { a: 2 },
      midTransaction: () => {
        bWrite = b.writePage({ spec: spec("b"), rows: rows(4), state: { b: 3 } });
      },
    });
    during = await reader.readState("a");
    await bWrite;
    expect(during).toEqual({ a: 2 }); // committed right after a's page, before b's write
    expect(await b.checkpoint()).toBe(true);
    expect(await reader.readState("b")).toEqual({ b: 3 });
    expect(await reader.rowCounts("b")).toEqual({ live: 4, deleted: 0 });
  });
});
