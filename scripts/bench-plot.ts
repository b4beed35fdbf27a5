// Draws the bench's cases as one self-contained SVG: sync rows/s (with both ceilings as dashed and dotted lines) and
// the sync's peak RSS against rows, both axes logarithmic, one colour per strategy and page size. Hand-written SVG,
// no dependency.

/** What the plot needs of one bench case: medians. */
export interface PlotCase {
  records: number;
  strategy: string;
  pageSize: number;
  rowsPerSec: number;
  storeCeiling: number;
  mockCeiling: number;
  rssMb: number;
}

const WIDTH = 460;
const HEIGHT = 320;
const PAD = { left: 70, right: 20, top: 36, bottom: 48 };
const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const label = (n: number) => (n >= 1e6 ? `${+(n / 1e6).toPrecision(3)}M` : n >= 1e3 ? `${+(n / 1e3).toPrecision(3)}k` : `${+n.toPrecision(3)}`);

/** A log axis over [lo, hi] widened to whole powers of ten, mapped onto [from, to] pixels. */
function logAxis(values: number[], from: number, to: number) {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  let hi = Math.ceil(Math.log10(Math.max(...positive)));
  if (hi === lo) hi = lo + 1;
  const at = (v: number) => from + ((Math.log10(v) - lo) / (hi - lo)) * (to - from);
  const ticks: number[] = [];
  for (let p = lo; p <= hi; p++) for (const m of [1, 2, 5]) if (p + Math.log10(m) <= hi) ticks.push(m * 10 ** p);
  return { at, ticks };
}

interface Series {
  name: string;
  colour: string;
  points: [number, number][];
  dash?: string;
}

function panel(x0: number, title: string, yTitle: string, series: Series[], lines: { y: number; name: string }[]): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = [...series.flatMap((s) => s.points.map((p) => p[1])), ...lines.map((l) => l.y)];
  const x = logAxis(xs, x0 + PAD.left, x0 + WIDTH - PAD.right);
  const y = logAxis(ys, HEIGHT - PAD.bottom, PAD.top);
  const out: string[] = [`<text x="${x0 + WIDTH / 2}" y="20" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`];
  const [left, right, top, bottom] = [x0 + PAD.left, x0 + WIDTH - PAD.right, PAD.top, HEIGHT - PAD.bottom];
  for (const t of x.ticks) {
    const px = x.at(t).toFixed(1);
    out.push(
      `<line x1="${px}" y1="${top}" x2="${px}" y2="${bottom}" stroke="#eee"/><text x="${px}" y="${bottom + 16}" text-anchor="middle">${label(t)}</text>`,
    );
  }
  for (const t of y.ticks) {
    const py = y.at(t).toFixed(1);
    out.push(
      `<line x1="${left}" y1="${py}" x2="${right}" y2="${py}" stroke="#eee"/><text x="${left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${label(t)}</text>`,
    );
  }
  out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${x0 + WIDTH / 2}" y="${HEIGHT - 10}" text-anchor="middle">rows (log)</text>`);
  out.push(`<text transform="translate(${x0 + 16} ${HEIGHT / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yTitle)}</text>`);
  for (const line of lines) {
    const py = y.at(line.y).toFixed(1);
    out.push(
      `<line x1="${left}" y1="${py}" x2="${right}" y2="${py}" stroke="#000" stroke-dasharray="6 3"/><text x="${right - 4}" y="${+py - 4}" text-anchor="end">${escapeXml(line.name)}</text>`,
    );
  }
  for (const s of series) {
    const pts = s.points.toSorted((a, b) => a[0] - b[0]).map(([px, py]) => `${x.at(px).toFixed(1)},${y.at(py).toFixed(1)}`);
    out.push(
      `<polyline class="series" points="${pts.join(" ")}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}><title>${escapeXml(s.name)}</title></polyline>`,
    );
    for (const p of pts) out.push(`<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="3" fill="${s.colour}"/>`);
  }
  return out.join("\n");
}

/** The SVG text for a bench's cases; `note` (command, date, load) is printed under the plots. */
export function plotSvg(cases: readonly PlotCase[], note: string, rssBudgetMb = 256): string {
  const groups = new Map<string, PlotCase[]>();
  for (const c of cases) groups.set(`${c.strategy} page ${c.pageSize}`, [...(groups.get(`${c.strategy} page ${c.pageSize}`) ?? []), c]);
  const rate: Series[] = [];
  const rss: Series[] = [];
  [...groups].forEach(([name, group], i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    rate.push({ name: `${name}: sync`, colour, points: group.map((c) => [c.records, c.rowsPerSec]) });
    rate.push({ name: `${name}: store ceiling`, colour, dash: "6 3", points: group.map((c) => [c.records, c.storeCeiling]) });
    rate.push({ name: `${name}: mock ceiling`, colour, dash: "2 3", points: group.map((c) => [c.records, c.mockCeiling]) });
    rss.push({ name: `${name}: sync peak RSS`, colour, points: group.map((c) => [c.records, c.rssMb]) });
  });
  const legend = [...groups.keys()].map((name, i) => {
    const y = HEIGHT + 16 + i * 16;
    return `<line x1="${PAD.left}" y1="${y}" x2="${PAD.left + 24}" y2="${y}" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="2"/><text x="${PAD.left + 30}" y="${y}" dominant-baseline="middle">${escapeXml(name)}</text>`;
  });
  const keyY = HEIGHT + 16 + groups.size * 16;
  const height = keyY + 40;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH * 2}" height="${height}" viewBox="0 0 ${WIDTH * 2} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    panel(0, "sync rows/s (solid), store ceiling (dashed), mock ceiling (dotted)", "rows/s (log)", rate, []),
    panel(WIDTH, "sync peak RSS", "MB (log)", rss, [{ y: rssBudgetMb, name: `${rssBudgetMb} MB budget` }]),
    ...legend,
    `<text x="${PAD.left}" y="${keyY + 8}" fill="#555">${escapeXml(note)}</text>`,
    `</svg>`,
  ].join("\n");
}
