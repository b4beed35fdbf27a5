/**
 * sfc32, a small fast PRNG with a 128-bit state. Faker is far too slow to call per row at scale, so every per-row
 * and per-request decision draws from one of these instead. `reset(seed, stream, index)` maps distinct triples to
 * distinct states (each word goes through a bijective mixer), so row i of a dataset can be rebuilt on its own.
 */
export class Prng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number, stream = 0, index = 0) {
    this.reset(seed, stream, index);
  }

  reset(seed: number, stream: number, index: number): this {
    this.a = mix32(seed);
    this.b = mix32(index);
    this.c = mix32((stream * 0x10001 + Math.floor(index / 4294967296)) >>> 0);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
    return this;
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** A uniform integer in [0, n) for n up to 2^32 (two draws above that). */
  int(n: number): number {
    if (n <= 4294967296) return Math.floor(this.next() * n);
    return Math.floor(((this.u32() * 4294967296 + this.u32()) / 2 ** 64) * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Four words of a version 4 uuid (version and variant bits set). */
  uuidWords(out: Uint32Array, at = 0): void {
    out[at] = this.u32();
    out[at + 1] = ((this.u32() & 0xffff0fff) | 0x00004000) >>> 0;
    out[at + 2] = ((this.u32() & 0x3fffffff) | 0x80000000) >>> 0;
    out[at + 3] = this.u32();
  }
}

/** The splitmix32 finalizer: a bijection on 32-bit integers. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The 16 bytes of the uuid in `words` (big-endian, so byte order is the order of the uuid text). */
export function writeIdBytes(words: Uint32Array, at: number, out: Uint8Array, outAt: number): void {
  for (let w = 0; w < 4; w++) {
    const word = words[at + w]!;
    out[outAt + w * 4] = word >>> 24;
    out[outAt + w * 4 + 1] = (word >>> 16) & 255;
    out[outAt + w * 4 + 2] = (word >>> 8) & 255;
    out[outAt + w * 4 + 3] = word & 255;
  }
}

/** A fresh random seed (32-bit unsigned) for runs that were not given one. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
