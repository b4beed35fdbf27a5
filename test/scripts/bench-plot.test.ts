import { describe, expect, test } from "bun:test";
import { plotSvg, type PlotCase } from "../../scripts/bench-plot";

const cases: PlotCase[] = [
  { records: 1_000_000, strategy: "offset", pageSize: 1000, rowsPerSec: 90_000, storeCeiling: 120_000, mockCeiling: 250_000, rssMb: 180 },
  { records: 100_000, strategy: "offset", pageSize: 1000, rowsPerSec: 110_000, storeCeiling: 180_000, mockCeiling: 260_000, rssMb: 120 },
  { records: 100_000, strategy: "keyset", pageSize: 50, rowsPerSec: 70_000, storeCeiling: 160_000, mockCeiling: 100_000, rssMb: 108 },
];

describe("bench --plot", () => {
  test("draws sync, both ceilings and RSS per strategy and page size, x in rising rows, with the budget line", () => {
    const svg = plotSvg(cases, "note <&> here");
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    const series = [...svg.matchAll(/<polyline class="series" points="([^"]*)"[^>]*><title>([^<]*)<\/title>/g)];
    expect(series.map((m) => m[2])).toEqual([
      "offset page 1000: sync",
      "offset page 1000: store ceiling",
      "offset page 1000: mock ceiling",
      "keyset page 50: sync",
      "keyset page 50: store ceiling",
      "keyset page 50: mock ceiling",
      "offset page 1000: sync peak RSS",
      "keyset page 50: sync peak RSS",
    ]);
    const offsetSync = series[0]![1]!.split(" ").map((p) => p.split(",").map(Number));
    expect(offsetSync).toHaveLength(2);
    // Sorted by rows: 100k left of 1M; the faster 100k point sits higher (smaller y).
    expect(offsetSync[0]![0]!).toBeLessThan(offsetSync[1]![0]!);
    expect(offsetSync[0]![1]!).toBeLessThan(offsetSync[1]![1]!);
    expect(svg).toContain("256 MB budget");
    expect(svg).toContain("note &lt;&amp;&gt; here");
    expect(svg).not.toContain("NaN");
  });
});
