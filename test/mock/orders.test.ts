import { describe, expect, test } from "bun:test";
import { Dataset } from "../../src/mock/data/dataset";
import { OrderRows, SLOTS } from "../../src/mock/data/orders";
import { uuidOfWords } from "../../src/mock/data/uuid";

describe("orders as generated", () => {
  for (const sameSecond of [1, 3]) {
    test(`RowFactory.createdAt draws as keys() does, so an order's buyer and times are its user's (same-second ${sameSecond})`, () => {
      const dataset = new Dataset({ seed: 3, records: 500, anchor: 1_717_243_200, spanSeconds: 5 * 86400, sameSecond });
      try {
        const [a, b] = [new Uint32Array(4), new Uint32Array(4)];
        for (let i = 0; i < 500; i++) {
          const keys = dataset.factory.keys(i, a, 0);
          expect(dataset.factory.createdAt(i, b)).toBe(keys.createdAt);
          expect(uuidOfWords(b)).toBe(uuidOfWords(a));
          expect(JSON.parse(dataset.factory.json(i)).id).toBe(uuidOfWords(a));
        }
        const orders = new OrderRows(dataset.factory);
        const seen: number[] = [];
        orders.each((id, updatedAt) => {
          seen.push(id);
          const order = JSON.parse(orders.json(id));
          const user = JSON.parse(dataset.factory.json(Math.floor((id - 1) / SLOTS)));
          expect(order.userId).toBe(user.id);
          expect(Date.parse(order.updatedAt) / 1000).toBe(updatedAt);
          expect(orders.updatedAt(id)).toBe(updatedAt);
          expect(order.createdAt >= user.createdAt && order.createdAt <= order.updatedAt).toBe(true);
        });
        expect(seen.length).toBe(orders.generated());
        expect(orders.idsAfter(0, 1_000_000)).toEqual(seen);
      } finally {
        dataset.close();
      }
    });
  }
});
