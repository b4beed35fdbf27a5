// The store gate: concurrent streams share one store, but never one open checkpoint.
import { afterEach, describe, expect, test } from "bun:test";
import { StoreGate } from "../../src/connector/store-gate";
import { openStore } from "../../src/store/open";
import type { Store, TableSpec } from "../../src/store/types";
import { tempDb } from "../helpers/sync";

const spec = (table: string): TableSpec => ({ table, primaryKey: ["id"], cursorField: "updatedAt" });
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, updatedAt: "2024-01-01T00:00:00Z" }));
const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
};

let stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe("StoreGate", () => {
  test("a second stream's page waits until the first one's checkpoint is committed; neither commits the other's", async () => {
    const db = tempDb();
    const store = await openStore(db, { mode: "writer", tables: ["a", "b"] });
    stores.push(store);
    const gate = new StoreGate(store);
    const [a, b] = [gate.handle(), gate.handle()];
    await a.writePage({ spec: spec("a"), rows: rows(3), state: { a: 1 } });
    expect(a.pending).toBe(true);
    expect(b.pending).toBe(false); // a's open checkpoint is not b's work
    expect(await b.checkpoint()).toBe(false); // and not b's to commit
    expect(store.pending).toBe(true);
    const bWrite = b.writePage({ spec: spec("b"), rows: rows(2), state: { b: 1 } });
    expect(await settled(bWrite)).toBe(false);
    expect(await a.checkpoint()).toBe(true);
    await bWrite;
    expect(b.pending).toBe(true);
    expect(await store.readState("a")).toEqual({ a: 1 });
    // a failing page of a (once b has committed) rolls back only a's own open checkpoint.
    expect(await b.checkpoint()).toBe(true);
    await a.writePage({ spec: spec("a"), rows: rows(5), state: { a: 2 } });
    await expect(a.writePage({ spec: spec("a"), rows: rows(1), state: { a: 3 }, midTransaction: () => { throw new Error("disk full"); } })).rejects.toThrow("disk full");
    expect(await store.readState("a")).toEqual({ a: 1 });
    expect(await store.readState("b")).toEqual({ b: 1 });
    expect(await store.rowCounts("b")).toEqual({ live: 2, deleted: 0 });
    expect(await store.rowCounts("a")).toEqual({ live: 3, deleted: 0 });
    // and the store is free again for b.
    expect(await settled(b.writePage({ spec: spec("b"), rows: rows(4), state: { b: 2 } }))).toBe(true);
  });
});
