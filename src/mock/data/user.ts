import type { Prng } from "../prng";
import { formatTimestamp } from "../time";
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

/** Draws the descriptive fields of one user and returns them as a JSON fragment (`"name":...,"job":"..."`). */
export function drawFieldsJson(rng: Prng, pools: Pools): string {
  const first = rng.int(pools.firstNames.length);
  const last = rng.int(pools.lastNames.length);
  const suffix = rng.next() < 0.5 ? "" : String(rng.int(100));
  const email = `${pools.emailFirst[first]}.${pools.emailLast[last]}${suffix}@${rng.pick(pools.domains)}`;
  return (
    `"name":"${pools.firstNames[first]} ${pools.lastNames[last]}","email":"${email}",` +
    `"address":"${drawAddress(rng, pools)}","company":"${rng.pick(pools.companies)}","job":"${rng.pick(pools.jobs)}"`
  );
}

/** An escaped address such as `4821 Maple Avenue, Springfield, IL 62704`. */
export function drawAddress(rng: Prng, pools: Pools): string {
  const number = 1 + rng.int(9999);
  const street = rng.pick(pools.streets);
  const city = rng.pick(pools.cities);
  const state = rng.pick(pools.states);
  return `${number} ${street}, ${city}, ${state} ${String(rng.int(100000)).padStart(5, "0")}`;
}

/** A user's JSON text, in the wire field order. `fields` comes from drawFieldsJson. */
export function userJson(id: string, fields: string, createdAt: number, updatedAt: number): string {
  return `{"id":"${id}",${fields},"createdAt":"${formatTimestamp(createdAt)}","updatedAt":"${formatTimestamp(updatedAt)}"}`;
}

/** Re-serializes a parsed user; JSON.stringify of this key order gives the same text userJson would. */
export function serializeUser(user: User): string {
  const { id, name, email, address, company, job, createdAt, updatedAt } = user;
  return JSON.stringify({ id, name, email, address, company, job, createdAt, updatedAt });
}
