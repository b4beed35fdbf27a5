import { writeIdBytes } from "../prng";
import type { RowFactory } from "./generate";

/**
 * Finds a generated user's number from its id. An id index in SQLite costs 10-25 s and 300-400 MB at ten million
 * users; this open-addressing table of user numbers, keyed by the id's first 32 bits (random in a v4 uuid), costs
 * 4 bytes a slot (64 MB at ten million) and one pass over the users' keys. A candidate's id is re-derived to confirm.
 */
export class GeneratedIds {
  private readonly slots: Uint32Array;
  private readonly mask: number;
  private readonly words = new Uint32Array(4);
  private readonly bytes = new Uint8Array(16);

  constructor(private readonly factory: RowFactory) {
    let size = 1024;
    // At most 5/8 full, so a miss probes a few slots.
    while (size * 5 < factory.shape.records * 8) size *= 2;
    this.slots = new Uint32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < factory.shape.records; i++) {
      factory.createdAt(i, this.words);
      let slot = this.words[0]! & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = i + 1;
    }
  }

  /** The number of the generated user with this id (16 bytes), or undefined. */
  find(id: Uint8Array): number | undefined {
    const first = ((id[0]! << 24) | (id[1]! << 16) | (id[2]! << 8) | id[3]!) >>> 0;
    for (let slot = first & this.mask; this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
      const i = this.slots[slot]! - 1;
      this.factory.createdAt(i, this.words);
      if (this.words[0] !== first) continue;
      writeIdBytes(this.words, 0, this.bytes, 0);
      if (this.bytes.every((byte, k) => byte === id[k])) return i;
    }
    return undefined;
  }
}
