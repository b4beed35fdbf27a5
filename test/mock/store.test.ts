import { afterEach, describe, expect, test } from "bun:test";
import { Dataset, type Order } from "../../src/mock/data/dataset";
import { Mutator } from "../../src/mock/mutations";

const open: Dataset[] = [];
afterEach(() => {
  for (const d of open.splice(0)) d.close();
});

function build(records: number, sameSecond: number): Dataset {
  const dataset = new Dataset({ seed: 5, records, anchor: 1_717_243_200, spanSeconds: 2 * 86400, sameSecond });
  open.push(dataset);
  return dataset;
}

function keysetAll(dataset: Dataset, order: Order, since: number | undefined): string[] {
  const rows: string[] = [];
  let after: Parameters<Dataset["keyset"]>[2];
  for (let i = 0; i < 10_000; i++) {
    const page = dataset.keyset(order, since, after, 97);
    rows.push(...page.rows);
    if (!page.more) return rows;
    after = page.last;
  }
  throw new Error("keyset walk did not end");
}

const ORDERS: Order[] = [
  { by: "updatedAt", type: "asc" },
  { by: "updatedAt", type: "desc" },
  { by: "createdAt", type: "asc" },
  { by: "createdAt", type: "desc" },
];

describe("dataset store", () => {
  test("offset pages (deep ones too) are exact slices of the keyset walk, in every order, with and without a filter, before and after changes", () => {
    const dataset = build(6000, 3);
    const mutator = new Mutator(dataset, { seed: 5, deleteShare: 0.1, clock: () => 1_717_243_300_000 });
    const since = 1_717_243_200 - 86400;
    for (let round = 0; round < 2; round++) {
      // Changes between rounds must drop remembered positions (anchors) along with counts.
      if (round > 0) mutator.apply(500);
      for (const order of ORDERS) {
        for (const filter of [undefined, since]) {
          const all = keysetAll(dataset, order, filter);
          expect(all).toHaveLength(dataset.count(filter));
          expect(new Set(all).size).toBe(all.length);
          for (const offset of [0, 1, 999, 1000, 1234, 3001, all.length - 40, all.length - 1, all.length, all.length + 5000]) {
            expect(dataset.page(order, filter, 50, offset)).toEqual(all.slice(offset, offset + 50));
          }
        }
      }
    }
  });

  test("the walk by id holds every row once, sorted by id", async () => {
    const dataset = build(2500, 1);
    const ids: string[] = [];
    for await (const rows of dataset.walkById(300)) ids.push(...rows.map((r) => JSON.parse(r).id as string));
    expect(ids).toHaveLength(2500);
    expect(ids).toEqual(ids.toSorted());
    expect(new Set(ids).size).toBe(2500);
  });

  test("counts follow changes (the count cache is dropped on every change)", () => {
    const dataset = build(1000, 1);
    const since = 1_717_243_200;
    const before = dataset.count(since);
    new Mutator(dataset, { seed: 1, deleteShare: 0, clock: () => (since + 10) * 1000 }).apply(50);
    expect(dataset.count(since)).toBe(before + 50);
  });
});
