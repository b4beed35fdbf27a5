import { expect, test } from "bun:test";
import { createMockApp } from "../../src/mock";

test("reported totals for updated_since stay exact through inserts, updates and deletes", async () => {
  const mock = createMockApp({ records: 3000, seed: 5, now: "2026-01-15T12:00:00Z", spanDays: 2, deleteShare: 0.2 });
  const lines = async () =>
    (await (await mock.fetch(new Request("http://m.test/_mock/dataset"))).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { updatedAt: string });
  const sinces = ["0001-01-01T00:00:00Z", "2026-01-14T00:00:00Z", "2026-01-14T13:17:09Z", "2026-01-15T11:59:59Z", "2030-01-01T00:00:00Z"];
  for (let round = 0; round < 4; round++) {
    const rows = await lines();
    for (const since of sinces) {
      const body = (await (await mock.fetch(new Request(`http://m.test/pagination/offset?updated_since=${since}&limit=1`))).json()) as { total: number };
      expect({ round, since, total: body.total }).toEqual({ round, since, total: rows.filter((r) => r.updatedAt >= since).length });
    }
    mock.mutate(400);
  }
  mock.close();
});
