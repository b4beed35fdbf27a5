import type { SyncSummary } from "../connector/driver";
import { safeJson } from "../connector/escape";

const number = new Intl.NumberFormat("en-US");

/**
 * How progress is shown: `redraw` one line rewritten in place (a terminal that takes escape codes), `plain` the same
 * with a bare CR and spaces (a terminal under NO_COLOR or TERM=dumb: no escape code at all), `lines` a line every
 * few seconds (a log file or a scheduler), `json` a JSON event every few seconds, `off` nothing (--quiet).
 */
export type ProgressMode = "redraw" | "plain" | "lines" | "json" | "off";

export function progressMode(options: { isTTY: boolean; env: Record<string, string | undefined>; format: "text" | "json"; quiet: boolean }): ProgressMode {
  if (options.quiet) return "off";
  if (options.format === "json") return "json";
  if (!options.isTTY) return "lines";
  const noEscapes = (options.env.NO_COLOR ?? "") !== "" || options.env.TERM === "dumb";
  return noEscapes ? "plain" : "redraw";
}

/** Seconds between progress lines off a terminal, and between redraws on one. */
const LINE_EVERY_MS = 5000;
const REDRAW_EVERY_MS = 100;

/** "12,345 rows, 247 pages, 5,432 rows/s" and, when the API reported a total, "61% of 20,000, ETA 1m 12s". */
export function progressText(summary: SyncSummary): string {
  const parts = [`${number.format(summary.rows)} rows`, `${number.format(summary.pages)} pages`, `${number.format(summary.rowsPerSecond)} rows/s`];
  const total = summary.expected;
  if (total !== null && total > 0) {
    const done = Math.min(summary.rows, total);
    parts.push(`${Math.floor((done / total) * 100)}% of ${number.format(total)}`);
    if (summary.rowsPerSecond > 0) parts.push(`ETA ${eta((total - done) / summary.rowsPerSecond)}`);
  }
  return `syncing: ${parts.join(", ")}`;
}

function eta(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * The progress display on stderr, and the one way other stderr output gets there while it is up: `write` clears the
 * progress line first, so a log line, the summary or a signal message is never glued to it.
 */
export class Progress {
  private shown = 0; // length of the line on screen (redraw/plain), 0 when none
  private last: number;

  constructor(
    private readonly mode: ProgressMode,
    private readonly stderr: (text: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {
    // On a terminal the line shows from the first page; a log gets its first line after the first interval.
    this.last = mode === "lines" || mode === "json" ? now() : -Infinity;
  }

  update(summary: SyncSummary): void {
    if (this.mode === "off") return;
    const t = this.now();
    const every = this.mode === "redraw" || this.mode === "plain" ? REDRAW_EVERY_MS : LINE_EVERY_MS;
    if (t - this.last < every) return;
    this.last = t;
    const text = progressText(summary);
    if (this.mode === "json") {
      const { rows, pages, rowsPerSecond, expected } = summary;
      this.stderr(`${safeJson({ time: new Date(t).toISOString(), level: "info", event: "progress", rows, pages, rowsPerSecond, total: expected })}\n`);
    } else if (this.mode === "lines") this.stderr(`${text}\n`);
    else if (this.mode === "redraw") {
      this.stderr(`\r\x1b[K${text}`);
      this.shown = text.length;
    } else {
      // Spaces over what a longer line left on screen: the cursor then sits after the padding, so clear() covers it.
      const line = text.padEnd(this.shown);
      this.stderr(`\r${line}`);
      this.shown = line.length;
    }
  }

  /** Removes the progress line, if one is on screen. */
  clear(): void {
    if (this.shown === 0) return;
    this.stderr(this.mode === "redraw" ? "\r\x1b[K" : `\r${" ".repeat(this.shown)}\r`);
    this.shown = 0;
  }

  /** Writes other output to stderr: the progress line goes first (it comes back with the next page). */
  readonly write = (text: string): void => {
    this.clear();
    this.stderr(text);
  };
}
