import { Prng } from "../prng";
import { ByteWriter } from "./bytes";
import type { Pools } from "./pools";
import { writeUser } from "./user";

/** What the initial dataset is a pure function of: the same shape gives the same rows, byte for byte. */
export interface DatasetShape {
  seed: number;
  records: number;
  /** The newest possible timestamp, epoch seconds. */
  anchor: number;
  /** Timestamps fall in [anchor - spanSeconds, anchor]. */
  spanSeconds: number;
  /** Every `sameSecond` consecutive rows share one updatedAt (1: ties only as they fall). */
  sameSecond: number;
}

/** Share of rows never updated since creation (createdAt == updatedAt), as in real tables. */
const NEVER_UPDATED = 0.3;
const ROWS = 1;
const GROUPS = 2;

/**
 * Builds row `i` of the initial dataset from (seed, i) alone, so the store keeps only each row's keys and the JSON of
 * an untouched row is rebuilt when it is served. updatedAt is drawn first (once per tie group), then createdAt at or
 * before it, so updatedAt >= createdAt always.
 */
export class RowFactory {
  private readonly rng = new Prng(0);
  private readonly groupRng = new Prng(0);
  private readonly words = new Uint32Array(4);
  private readonly scratch = new ByteWriter();
  readonly start: number;

  constructor(
    readonly shape: DatasetShape,
    private readonly pools: Pools,
  ) {
    this.start = shape.anchor - shape.spanSeconds;
  }

  /** Draws row i's timestamps and id words; leaves the row PRNG positioned to draw its other fields. */
  keys(i: number, words: Uint32Array, at: number): { updatedAt: number; createdAt: number } {
    const { seed, sameSecond, spanSeconds } = this.shape;
    const rng = this.rng.reset(seed, ROWS, i);
    const updatedAt =
      sameSecond > 1 ? this.start + this.groupRng.reset(seed, GROUPS, Math.floor(i / sameSecond)).int(spanSeconds + 1) : this.start + rng.int(spanSeconds + 1);
    const createdAt = rng.next() < NEVER_UPDATED ? updatedAt : this.start + rng.int(updatedAt - this.start + 1);
    rng.uuidWords(words, at);
    return { updatedAt, createdAt };
  }

  /**
   * keys(i, words, 0).createdAt without the object: orders read it for every user to build their index, and ten
   * million of those objects cost 300 MB of heap. Draws exactly as keys() does (test/mock/orders.test.ts checks);
   * keys() itself stays as it is, since the start-up's bulk load runs it, and it measured faster as it is.
   */
  createdAt(i: number, words: Uint32Array): number {
    const { seed, sameSecond, spanSeconds } = this.shape;
    const rng = this.rng.reset(seed, ROWS, i);
    const updatedAt =
      sameSecond > 1 ? this.start + this.groupRng.reset(seed, GROUPS, Math.floor(i / sameSecond)).int(spanSeconds + 1) : this.start + rng.int(spanSeconds + 1);
    const createdAt = rng.next() < NEVER_UPDATED ? updatedAt : this.start + rng.int(updatedAt - this.start + 1);
    rng.uuidWords(words, 0);
    return createdAt;
  }

  /** Writes the JSON of row i as generated. */
  write(i: number, w: ByteWriter): void {
    const { updatedAt, createdAt } = this.keys(i, this.words, 0);
    writeUser(w, this.rng, this.pools, { words: this.words, at: 0 }, createdAt, updatedAt);
  }

  /** The JSON text of row i as generated. */
  json(i: number): string {
    this.write(i, this.scratch.reset());
    return this.scratch.toString();
  }

  /** A user that is not part of the initial rows (live inserts), its id and fields drawn from `rng`. */
  fresh(rng: Prng, words: Uint32Array, createdAt: number, updatedAt: number): string {
    rng.uuidWords(words);
    writeUser(this.scratch.reset(), rng, this.pools, { words, at: 0 }, createdAt, updatedAt);
    return this.scratch.toString();
  }
}

/** The keys of every initial row, column-wise; an id's four words, read big-endian, sort like the uuid text. */
export interface InitialKeys {
  updatedAt: Float64Array;
  createdAt: Float64Array;
  words: Uint32Array;
}

export function initialKeys(factory: RowFactory): InitialKeys {
  const n = factory.shape.records;
  const updatedAt = new Float64Array(n);
  const createdAt = new Float64Array(n);
  const words = new Uint32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const keys = factory.keys(i, words, i * 4);
    updatedAt[i] = keys.updatedAt;
    createdAt[i] = keys.createdAt;
  }
  return { updatedAt, createdAt, words };
}
