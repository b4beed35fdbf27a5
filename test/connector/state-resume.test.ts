// Saved states in an older format still resume: each fixture is a state a connector of that version saved when it
// was SIGKILLed after a committed page (scripts/state-fixtures.ts), with the keys of the rows it had committed.
// The table is rebuilt from the mock's oracle, the state put back verbatim, and a sync must resume where that
// process stopped and end exact.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseState, STATE_VERSION } from "../../src/connector/state";
import { inProcessMock } from "../helpers/mock";
import { openStore } from "../../src/store/open";
import { NO_DIFF, dataset, diff, type User } from "../../testkit/oracle";
import { integrityOk, savedState, syncOnce, tempDb } from "../helpers/sync";

interface Fixture {
  origin: string;
  path: string;
  mock: { records: number; seed: number; sameSecond: number; spanDays: number; now: string; maxPageSize: number };
  args: string[];
  state: Record<string, unknown> & { version: number; strategy: string; run: { position: Record<string, unknown> } | null };
  ids: string[];
  /** The keys an interrupted full refresh had read (null: not a full refresh). */
  seen: string[] | null;
}

const DIR = join(import.meta.dir, "../fixtures/state-v1");
const ORIGIN = "http://mock.test";
const PAGE = 20;
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();

function load(file: string): Fixture {
  const fixture = JSON.parse(readFileSync(join(DIR, file), "utf8")) as Fixture;
  // The binary's mock listened on a random port: its origin is data in the state (source, saved URLs), not format.
  return { ...fixture, state: JSON.parse(JSON.stringify(fixture.state).replaceAll(fixture.origin, ORIGIN)) };
}

/** The database as the killed process left it: its committed rows (and a refresh's keys), then its state. */
async function rebuild(db: string, fixture: Fixture, rows: Map<string, User>): Promise<void> {
  const store = await openStore(db, { mode: "writer", tables: ["user"] });
  const spec = { table: "user", primaryKey: ["id"], cursorField: "updatedAt" };
  const pick = (ids: string[]) => ids.map((id) => rows.get(id) as User);
  await store.writePage({ spec, rows: pick(fixture.ids), state: fixture.state });
  const run = (fixture.state.run ?? {}) as { since?: string | null };
  if (fixture.seen)
    await store.writePage({ spec, rows: pick(fixture.seen), state: fixture.state, refresh: { start: true, finish: false, since: run.since ?? null } });
  await store.checkpoint();
  await store.close();
}

describe("a version-1 state resumes", () => {
  test("there is a fixture for every strategy, a full refresh and priority-first", () => {
    const loaded = fixtures.map(load);
    expect(new Set(loaded.map((f) => f.state.strategy))).toEqual(new Set(["offset", "page_number", "keyset", "next_page_url", "link_header"]));
    expect(loaded.some((f) => f.seen !== null)).toBe(true);
    expect(loaded.some((f) => f.args.includes("--priority-first"))).toBe(true);
    expect(loaded.every((f) => f.state.version === 1)).toBe(true);
  });

  for (const file of fixtures) {
    test(`${file}: migrated to version ${STATE_VERSION}, every saved field kept`, () => {
      const fixture = load(file);
      const state = parseState(fixture.state, "user");
      expect(state.version).toBe(STATE_VERSION);
      const runs = [
        [fixture.state.run, state.run],
        [(fixture.state.backfill as { current?: { run: unknown } } | undefined)?.current?.run, state.backfill?.current?.run],
      ] as const;
      for (const [before, after] of runs) {
        if (!before) continue;
        const { position, ...rest } = before as { position: Record<string, unknown> };
        expect(after).toMatchObject(rest);
        const kept = fixture.state.strategy === "keyset" ? { since: position.since, token: position.token } : position;
        expect(after?.position).toEqual({ strategy: fixture.state.strategy, ...kept } as never);
      }
    });

    test(`${file}: the interrupted run resumes where it stopped and ends exact`, async () => {
      const fixture = load(file);
      // The fixture's recorded options, its own now included, over the shared helper's.
      const { fetch } = inProcessMock(fixture.mock);
      const rows = await dataset(fetch);
      const db = tempDb();
      await rebuild(db, fixture, rows);
      const priority = fixture.args.includes("--priority-first") ? { priority_first: true, window: "24h", max_duration: "10m" } : {};
      const config = { base_url: `${ORIGIN}${fixture.path}`, strategy: fixture.state.strategy, page_size: PAGE, checkpoint_rows: 1, ...priority };
      const run = await syncOnce(db, config, fetch);
      expect(run.error).toBeUndefined();
      expect(run.summary?.resumed).toBe(true);
      expect(run.summary?.inserted).toBe(fixture.mock.records - fixture.ids.length);
      // Read again: at most a page (an overlap row, a re-read that proves a tie group), never the run from its start.
      const read = fixture.seen ? fixture.mock.records - fixture.seen.length : (run.summary?.inserted as number);
      expect(run.summary?.rows).toBeGreaterThanOrEqual(read);
      expect((run.summary?.rows as number) - read).toBeLessThanOrEqual(PAGE);
      expect(diff(db, rows)).toEqual(NO_DIFF);
      expect(integrityOk(db)).toBe(true);
      expect(savedState(db)).toMatchObject({ version: STATE_VERSION, run: null });
    });
  }
});

describe("migrating version 1", () => {
  test("a run saved before any strategy was recorded starts over at its anchor", () => {
    const run = {
      since: "2024-01-01T00:00:00Z",
      position: { since: "2024-02-01T00:00:00Z", skip: 3, lastKey: '["x"]' },
      maxCursor: null,
      startedAt: "2024-03-01T00:00:00Z",
      pages: 1,
      source: "http://a.test/x",
    };
    const state = parseState({ version: 1, strategy: null, cursor: null, run }, "user");
    expect(state.run?.position).toEqual({ strategy: "start", since: "2024-02-01T00:00:00Z" });
  });
});

describe("versions this connector cannot read", () => {
  test("a newer state is refused, naming both versions", () => {
    expect(() => parseState({ version: STATE_VERSION + 1, strategy: null, cursor: null, run: null }, "user")).toThrow(
      `version ${STATE_VERSION + 1} was written by a newer connector`,
    );
  });
  test("a version-1 state that is not one is refused, not guessed at", () => {
    expect(() => parseState({ version: 1, strategy: "offset", cursor: null, run: { position: { since: null } } }, "user")).toThrow(
      "unreadable (a version 1 state",
    );
  });
});
