import { describe, expect, test } from "bun:test";
import { Dataset } from "../../src/mock/data/dataset";
import { GeneratedIds } from "../../src/mock/data/user-ids";
import { bytesOfUuid } from "../../src/mock/data/uuid";
import { Mutator } from "../../src/mock/mutations";

describe("finding a user's number from its id", () => {
  test("every generated user is found under its own number, an unknown id is not (also with tie groups)", () => {
    for (const [records, sameSecond] of [
      [0, 1],
      [1, 1],
      [3000, 1],
      [3000, 7],
    ] as const) {
      const dataset = new Dataset({ seed: 11, records, anchor: 1_717_243_200, spanSeconds: 86400, sameSecond });
      try {
        const ids = new GeneratedIds(dataset.factory);
        for (let i = 0; i < records; i++) expect(ids.find(bytesOfUuid(JSON.parse(dataset.factory.json(i)).id)!)).toBe(i);
        expect(ids.find(bytesOfUuid("00000000-0000-4000-8000-000000000000")!)).toBeUndefined();
      } finally {
        dataset.close();
      }
    }
  });

  test("userNumber follows live changes: updated users keep their number, deleted ones are gone, inserted ones are null", async () => {
    const dataset = new Dataset({ seed: 12, records: 400, anchor: 1_717_243_200, spanSeconds: 86400, sameSecond: 1 });
    try {
      const before = new Map<string, number>();
      for (let i = 0; i < 400; i++) before.set(JSON.parse(dataset.factory.json(i)).id, i);
      new Mutator(dataset, { seed: 3, deleteShare: 0.3, clock: () => 1_717_243_300_000 }).apply(300);
      const now = new Set<string>();
      for await (const rows of dataset.walkById()) for (const row of rows) now.add(JSON.parse(row).id);
      const count = { generated: 0, inserted: 0, deleted: 0 };
      for (const id of now) {
        const n = dataset.userNumber(bytesOfUuid(id)!);
        if (before.has(id)) {
          count.generated++;
          expect(n).toBe(before.get(id)!);
        } else {
          count.inserted++;
          expect(n).toBeNull();
        }
      }
      for (const id of before.keys()) {
        if (now.has(id)) continue;
        count.deleted++;
        expect(dataset.userNumber(bytesOfUuid(id)!)).toBeUndefined();
      }
      expect(Math.min(count.generated, count.inserted, count.deleted)).toBeGreaterThan(10);
    } finally {
      dataset.close();
    }
  });
});
