const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEX = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  const text = i.toString(16).padStart(2, "0");
  HEX[i * 2] = text.charCodeAt(0);
  HEX[i * 2 + 1] = text.charCodeAt(1);
}
const DIGIT_0 = 48;

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * A growable byte buffer. Pages are written here row by row: assembling them from JS strings costs several
 * microseconds a row (building and then flattening ropes), which would cap serving far below 100,000 rows/s.
 */
export class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  length = 0;

  reset(): this {
    this.length = 0;
    return this;
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buf[this.length++] = value;
  }

  bytes(value: Uint8Array): void {
    const n = value.length;
    this.reserve(n);
    const buf = this.buf;
    const at = this.length;
    // TypedArray#set costs tens of nanoseconds a call; a plain loop is faster for the short pieces rows are made of.
    if (n < 64) for (let i = 0; i < n; i++) buf[at + i] = value[i]!;
    else buf.set(value, at);
    this.length = at + n;
  }

  /** Any string, as UTF-8. */
  text(value: string): void {
    this.reserve(value.length * 3);
    this.length += encoder.encodeInto(value, this.buf.subarray(this.length)).written;
  }

  /** A non-negative integer in decimal, zero-padded to `width`. */
  digits(value: number, width = 1): void {
    let n = Math.floor(value);
    let count = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) count++;
    const size = Math.max(width, count);
    this.reserve(size);
    for (let i = size - 1; i >= 0; i--) {
      this.buf[this.length + i] = DIGIT_0 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.length += size;
  }

  /** Bytes `from` to `to` (exclusive, 0 = most significant) of a 32-bit word as lower-case hex. */
  hex(word: number, from = 0, to = 4): void {
    this.reserve((to - from) * 2);
    for (let i = from; i < to; i++) {
      const byte = (word >>> ((3 - i) * 8)) & 255;
      this.buf[this.length++] = HEX[byte * 2]!;
      this.buf[this.length++] = HEX[byte * 2 + 1]!;
    }
  }

  /** A copy of what was written (the buffer itself is reused). */
  take(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  toString(): string {
    return decoder.decode(this.buf.subarray(0, this.length));
  }
}
