/** Bits a key (10 with 7 probes: about 1% of absent keys answer "maybe"). */
const BITS_PER_KEY = 10;
const PROBES = 7;
/** The first layer's keys; each next layer holds twice the last's, so memory follows the table's size. */
const FIRST_LAYER = 1 << 20;

interface Layer {
  bits: Uint32Array;
  size: number;
  capacity: number;
  count: number;
}

/**
 * The keys a table may hold, as a Bloom filter that grows in layers (about 1.25 bytes a key): a key it calls
 * absent is certainly absent, so a new key, the common case, needs no read of the table's index; a false "maybe"
 * only costs that read. Keys are strings as SQLite stores them in a TEXT column: only well-formed strings can be
 * asked about (a lone surrogate would be stored as U+FFFD, equal to another string; the caller checks).
 */
export class KeyFilter {
  private readonly layers: Layer[] = [];
  private h1 = 0;
  private h2 = 0;

  constructor(private readonly firstLayer = FIRST_LAYER) {
    this.grow();
  }

  /** True when the key may be held. */
  has(key: string): boolean {
    this.hash(key);
    for (const layer of this.layers) if (this.inLayer(layer)) return true;
    return false;
  }

  /** Adds the key; true when it may have been held already (then nothing changes). */
  add(key: string): boolean {
    if (this.has(key)) return true;
    let layer = this.layers[this.layers.length - 1] as Layer;
    if (layer.count >= layer.capacity) layer = this.grow();
    for (let i = 0; i < PROBES; i++) {
      const bit = ((this.h1 + Math.imul(i, this.h2)) >>> 0) % layer.size;
      layer.bits[bit >>> 5] = (layer.bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
    layer.count++;
    return false;
  }

  /** Bytes held, for the README's memory budget. */
  get bytes(): number {
    return this.layers.reduce((sum, layer) => sum + layer.bits.byteLength, 0);
  }

  private inLayer(layer: Layer): boolean {
    for (let i = 0; i < PROBES; i++) {
      const bit = ((this.h1 + Math.imul(i, this.h2)) >>> 0) % layer.size;
      if (((layer.bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  private grow(): Layer {
    const capacity = this.firstLayer * 2 ** this.layers.length;
    const size = Math.ceil((capacity * BITS_PER_KEY) / 32) * 32;
    const layer = { bits: new Uint32Array(size / 32), size, capacity, count: 0 };
    this.layers.push(layer);
    return layer;
  }

  /** Two independent 32-bit hashes of the key's UTF-16 units (FNV-1a and a multiply-xorshift). */
  private hash(key: string): void {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.h1 = a >>> 0;
    this.h2 = (b >>> 0) | 1;
  }
}
