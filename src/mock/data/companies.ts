import { Prng } from "../prng";
import { formatTimestamp } from "../time";
import type { DatasetShape } from "./generate";
import type { RowSource } from "./live-table";

export const COUNTRIES = ["US", "DE", "FR", "GB", "NL", "SE", "ES", "IT", "JP", "BR", "IN", "CA", "AU", "MX", "PL"] as const;
/** PRNG streams of their own, so adding companies changed no user byte. */
const COMPANIES = 10;
/** Every TIE_GROUP consecutive companies, a quarter share the first one's updatedAt: ties occur at any size. */
const TIE_GROUP = 4;
const TIE_SHARE = 0.25;
const NEVER_UPDATED = 0.3;

/** One company per ten users, at least one. */
export function companyCount(records: number): number {
  return Math.max(1, Math.floor(records / 10));
}

export interface Company {
  id: number;
  name: string;
  country: string;
  employees: number;
  createdAt: string;
  updatedAt: string;
}

/** A company's JSON (wire field order) with its descriptive fields drawn from `rng`. */
export function companyJson(id: number, rng: Prng, names: readonly string[], createdAt: number, updatedAt: number): string {
  const name = rng.pick(names);
  const country = rng.pick(COUNTRIES);
  // Log-uniform from 1 to 50,000: most companies are small, a few are large.
  const employees = Math.max(1, Math.floor(Math.exp(rng.next() * Math.log(50_000))));
  const company: Company = { id, name, country, employees, createdAt: formatTimestamp(createdAt), updatedAt: formatTimestamp(updatedAt) };
  return JSON.stringify(company);
}

/** Company `id` (1 to companyCount) as generated, rebuilt from (seed, id) alone whenever it is served. */
export class CompanyRows implements RowSource {
  private readonly rng = new Prng(0);
  private readonly leaderRng = new Prng(0);
  private readonly count: number;
  readonly nextId: number;
  readonly start: number;

  constructor(
    private readonly shape: DatasetShape,
    private readonly names: readonly string[],
  ) {
    this.count = companyCount(shape.records);
    this.nextId = this.count + 1;
    this.start = shape.anchor - shape.spanSeconds;
  }

  generated(): number {
    return this.count;
  }

  each(visit: (id: number, updatedAt: number) => void): void {
    for (let id = 1; id <= this.count; id++) visit(id, this.keys(id).updatedAt);
  }

  idsAfter(after: number, limit: number): number[] {
    const ids: number[] = [];
    for (let id = Math.max(1, after + 1); id <= this.count && ids.length < limit; id++) ids.push(id);
    return ids;
  }

  exists(id: number): boolean {
    return id >= 1 && id <= this.count;
  }

  updatedAt(id: number): number {
    return this.keys(id).updatedAt;
  }

  json(id: number): string {
    const { updatedAt, createdAt } = this.keys(id);
    return companyJson(id, this.rng, this.names, createdAt, updatedAt);
  }

  /** updatedAt first (a group's leader's, at times), then createdAt at or before it; leaves `rng` ready for the fields. */
  private keys(id: number): { updatedAt: number; createdAt: number } {
    const { seed, spanSeconds } = this.shape;
    const i = id - 1;
    const rng = this.rng.reset(seed, COMPANIES, i);
    let updatedAt = this.start + rng.int(spanSeconds + 1);
    const leader = i - (i % TIE_GROUP);
    if (rng.next() < TIE_SHARE && leader !== i) updatedAt = this.start + this.leaderRng.reset(seed, COMPANIES, leader).int(spanSeconds + 1);
    const createdAt = rng.next() < NEVER_UPDATED ? updatedAt : this.start + rng.int(updatedAt - this.start + 1);
    return { updatedAt, createdAt };
  }
}
