import type { Prng } from "../prng";
import { formatTimestamp } from "../time";
import { utf8, type ByteWriter } from "./bytes";
import type { Pools } from "./pools";

/** The wire field order of a user. */
export const USER_COLUMNS = ["id", "name", "email", "address", "company", "job", "createdAt", "updatedAt"] as const;

export interface User {
  id: string;
  name: string;
  email: string;
  address: string;
  company: string;
  job: string;
  createdAt: string;
  updatedAt: string;
}

const [ID, NAME, EMAIL, ADDRESS, COMPANY, JOB, CREATED, UPDATED, END, COMMA_SPACE] = [
  '{"id":"',
  '","name":"',
  '","email":"',
  '","address":"',
  '","company":"',
  '","job":"',
  '","createdAt":"',
  '","updatedAt":"',
  '"}',
  ", ",
].map(utf8) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
const [DASH, SPACE, DOT, AT, COLON, Z] = [45, 32, 46, 64, 58, 90];
const dayPrefixes = new Map<number, Uint8Array>();

/** `YYYY-MM-DDTHH:MM:SSZ` of epoch seconds; the date part is cached, as rows share days. */
function writeTimestamp(w: ByteWriter, seconds: number): void {
  const day = Math.floor(seconds / 86400);
  let prefix = dayPrefixes.get(day);
  if (!prefix) {
    if (dayPrefixes.size > 100_000) dayPrefixes.clear();
    prefix = utf8(formatTimestamp(day * 86400).slice(0, 11));
    dayPrefixes.set(day, prefix);
  }
  const rest = seconds - day * 86400;
  w.bytes(prefix);
  w.digits(Math.floor(rest / 3600), 2);
  w.byte(COLON);
  w.digits(Math.floor(rest / 60) % 60, 2);
  w.byte(COLON);
  w.digits(rest % 60, 2);
  w.byte(Z);
}

function writeUuid(w: ByteWriter, words: Uint32Array, at: number): void {
  w.hex(words[at]!);
  w.byte(DASH);
  w.hex(words[at + 1]!, 0, 2);
  w.byte(DASH);
  w.hex(words[at + 1]!, 2, 4);
  w.byte(DASH);
  w.hex(words[at + 2]!, 0, 2);
  w.byte(DASH);
  w.hex(words[at + 2]!, 2, 4);
  w.hex(words[at + 3]!);
}

/**
 * Writes one user's JSON (wire field order) with the descriptive fields drawn from `rng`. The only serializer of
 * generated users: string forms are decoded from these bytes.
 */
export function writeUser(w: ByteWriter, rng: Prng, pools: Pools, id: { words: Uint32Array; at: number }, createdAt: number, updatedAt: number): void {
  w.bytes(ID);
  writeUuid(w, id.words, id.at);
  const first = rng.int(pools.firstNames.length);
  const last = rng.int(pools.lastNames.length);
  w.bytes(NAME);
  w.bytes(pools.firstNames[first]!);
  w.byte(SPACE);
  w.bytes(pools.lastNames[last]!);
  w.bytes(EMAIL);
  w.bytes(pools.emailFirst[first]!);
  w.byte(DOT);
  w.bytes(pools.emailLast[last]!);
  if (rng.next() >= 0.5) w.digits(rng.int(100));
  w.byte(AT);
  w.bytes(rng.pick(pools.domains));
  w.bytes(ADDRESS);
  w.digits(1 + rng.int(9999));
  w.byte(SPACE);
  w.bytes(rng.pick(pools.streets));
  w.bytes(COMMA_SPACE);
  w.bytes(rng.pick(pools.cities));
  w.bytes(COMMA_SPACE);
  w.bytes(rng.pick(pools.states));
  w.byte(SPACE);
  w.digits(rng.int(100000), 5);
  w.bytes(COMPANY);
  w.bytes(rng.pick(pools.companies));
  w.bytes(JOB);
  w.bytes(rng.pick(pools.jobs));
  w.bytes(CREATED);
  writeTimestamp(w, createdAt);
  w.bytes(UPDATED);
  writeTimestamp(w, updatedAt);
  w.bytes(END);
}

/** Re-serializes a parsed user; JSON.stringify of this key order gives the same text writeUser would. */
export function serializeUser(user: User): string {
  const { id, name, email, address, company, job, createdAt, updatedAt } = user;
  return JSON.stringify({ id, name, email, address, company, job, createdAt, updatedAt });
}
