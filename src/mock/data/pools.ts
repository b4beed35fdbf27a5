import { faker } from "@faker-js/faker/locale/en";
import { utf8 } from "./bytes";

/**
 * Faker makes about 20,000 users a second, far too slow for a million rows, so it runs once per start to fill these
 * pools and rows are assembled from them by a fast PRNG. Entries are UTF-8 bytes of JSON-escaped text (without the
 * quotes), so a row is written by copying them; `emailFirst`/`emailLast` hold each name as an email local part.
 */
export interface Pools {
  firstNames: readonly Uint8Array[];
  lastNames: readonly Uint8Array[];
  emailFirst: readonly Uint8Array[];
  emailLast: readonly Uint8Array[];
  companies: readonly Uint8Array[];
  jobs: readonly Uint8Array[];
  streets: readonly Uint8Array[];
  cities: readonly Uint8Array[];
  states: readonly Uint8Array[];
  domains: readonly Uint8Array[];
}

const SIZES = { firstNames: 400, lastNames: 400, companies: 400, jobs: 250, streets: 400, cities: 250, states: 50 };

/** JSON string escaping without the surrounding quotes: escaped pieces concatenate into a valid JSON string. */
function escaped(text: string): Uint8Array {
  return utf8(JSON.stringify(text).slice(1, -1));
}

function unique(count: number, make: () => string): string[] {
  const seen = new Set<string>();
  // Bounded: Faker's lists are finite, so stop after a few misses rather than loop forever.
  for (let i = 0; i < count * 3 && seen.size < count; i++) seen.add(make());
  return [...seen];
}

function emailPart(name: string): Uint8Array {
  return utf8(name.toLowerCase().replace(/[^a-z]/g, "") || "user");
}

/** Deterministic for a given seed. Synchronous, so nothing else can reseed the shared Faker instance meanwhile. */
export function buildPools(seed: number): Pools {
  faker.seed(seed);
  const firstNames = unique(SIZES.firstNames, () => faker.person.firstName());
  const lastNames = unique(SIZES.lastNames, () => faker.person.lastName());
  return {
    firstNames: firstNames.map(escaped),
    lastNames: lastNames.map(escaped),
    emailFirst: firstNames.map(emailPart),
    emailLast: lastNames.map(emailPart),
    companies: unique(SIZES.companies, () => faker.company.name()).map(escaped),
    jobs: unique(SIZES.jobs, () => faker.person.jobTitle()).map(escaped),
    streets: unique(SIZES.streets, () => faker.location.street()).map(escaped),
    cities: unique(SIZES.cities, () => faker.location.city()).map(escaped),
    states: unique(SIZES.states, () => faker.location.state({ abbreviated: true })).map(escaped),
    // Reserved example domains: a mock must never hand out addresses that could reach a real inbox.
    domains: ["example.com", "example.net", "example.org"].map(utf8),
  };
}
