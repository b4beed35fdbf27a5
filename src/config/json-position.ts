// Where a JSON text stops being JSON, as line and column: JSON.parse in Bun says what is wrong but not where.

/** The offset of the first character that makes `text` invalid JSON (text.length: it ended too soon), or null. */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const fail = (at: number): never => {
    throw new BadAt(at);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const literal = (word: string) => {
    if (text.slice(i, i + word.length) !== word) fail(i);
    i += word.length;
  };
  const string = () => {
    if (text[i] !== '"') fail(i);
    for (i++; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 34) return void i++;
      if (ch < 32) fail(i);
      if (ch === 92) {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail(i);
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "x")) fail(i);
      }
    }
    fail(i);
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === "{" || ch === "[") {
      const close = ch === "{" ? "}" : "]";
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        if (close === "}") {
          space();
          string();
          space();
          if (text[i++] !== ":") fail(i - 1);
        }
        value();
        space();
        if (text[i] === close) return void i++;
        if (text[i++] !== ",") fail(i - 1);
      }
    }
    if (ch === '"') return string();
    if (ch === "t" || ch === "f" || ch === "n") return literal(ch === "t" ? "true" : ch === "f" ? "false" : "null");
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!number) fail(i);
    i += (number as RegExpExecArray)[0].length;
  };
  try {
    value();
    space();
    return i < text.length ? i : null;
  } catch (error) {
    if (error instanceof BadAt) return Math.min(error.at, text.length);
    return null; // nested too deeply to scan
  }
}

class BadAt {
  constructor(readonly at: number) {}
}

/** "line L, column C" (both from 1) of an offset, with the line's text up to there for context. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `line ${line}, column ${column}`;
}
