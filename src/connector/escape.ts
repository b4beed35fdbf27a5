/**
 * Text from an API (error bodies, record ids, URLs) can carry terminal control sequences: ESC[2J clears the screen,
 * OSC sets the window title, a bare CR overwrites a line, a newline forges a log line. Every line the CLI prints
 * (log lines, error messages, the summary) goes through this one function, so none reaches a terminal or a log file
 * raw: C0 controls (but tab), DEL, C1 controls and the bidirectional overrides become visible escapes.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\u001b") return "\\e";
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** JSON text safe for a terminal: JSON.stringify escapes C0 already; C1 and the bidi overrides it leaves raw. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
