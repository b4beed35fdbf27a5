import { faker } from "@faker-js/faker/locale/en";

/**
 * Faker makes about 20,000 users a second, far too slow for a million rows, so it runs once per start to fill these
 * pools and rows are assembled from them by a fast PRNG. Entries are JSON-escaped already (without the quotes), so
 * a row's JSON is plain concatenation; `emailNames` holds each name as an email local part.
 */
export interface Pools {
  firstNames: readonly string[];
  lastNames: readonly string[];
  emailFirst: readonly string[];
  emailLast: readonly string[];
  companies: readonly string[];
  jobs: readonly string[];
  streets: readonly string[];
  cities: readonly string[];
  states: readonly string[];
  domains: readonly string[];
}

const SIZES = { firstNames: 400, lastNames: 400, companies: 400, jobs: 250, streets: 400, cities: 250, states: 50 };

/** JSON string escaping without the surrounding quotes: escaped pieces concatenate into a valid JSON string. */
export function escapeJson(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

export function unescapeJson(escaped: string): string {
  return JSON.parse(`"${escaped}"`) as string;
}

function unique(count: number, make: () => string): string[] {
  const seen = new Set<string>();
  // Bounded: Faker's lists are finite, so stop after a few misses rather than loop forever.
  for (let i = 0; i < count * 3 && seen.size < count; i++) seen.add(make());
  return [...seen];
}

function emailPart(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, "") || "user";
}

/** Deterministic for a given seed. Synchronous, so nothing else can reseed the shared Faker instance meanwhile. */
export function buildPools(seed: number): Pools {
  faker.seed(seed);
  const firstNames = unique(SIZES.firstNames, () => faker.person.firstName());
  const lastNames = unique(SIZES.lastNames, () => faker.person.lastName());
  return {
    firstNames: firstNames.map(escapeJson),
    lastNames: lastNames.map(escapeJson),
    emailFirst: firstNames.map(emailPart),
    emailLast: lastNames.map(emailPart),
    companies: unique(SIZES.companies, () => faker.company.name()).map(escapeJson),
    jobs: unique(SIZES.jobs, () => faker.person.jobTitle()).map(escapeJson),
    streets: unique(SIZES.streets, () => faker.location.street()).map(escapeJson),
    cities: unique(SIZES.cities, () => faker.location.city()).map(escapeJson),
    states: unique(SIZES.states, () => faker.location.state({ abbreviated: true })).map(escapeJson),
    // Reserved example domains: a mock must never hand out addresses that could reach a real inbox.
    domains: ["example.com", "example.net", "example.org"],
  };
}
