import { describe, expect, test } from "bun:test";
import { cursorCandidates, inferFields, primaryKeyCandidates } from "../../src/connector/infer-types";

const typesOf = (records: Record<string, unknown>[]) => Object.fromEntries(inferFields(records).map((f) => [f.name, f.nullable ? `${f.type}?` : f.type]));

describe("inferFields", () => {
  test("each JSON value gets its Fivetran type, looking at every record of the page", () => {
    const records = [
      {
        small: 7,
        edge: 2 ** 31 - 1,
        neg: -(2 ** 31),
        big: 2 ** 31,
        mixedInt: 1,
        ratio: 0.5,
        mixedNum: 1,
        flag: true,
        utc: "2025-03-01T10:00:00Z",
        offset: "2025-03-01T10:00:00+02:00",
        frac: "2025-03-01T10:00:00.123Z",
        naive: "2025-03-01T10:00:00",
        date: "2025-03-01",
        obj: { a: 1 },
        list: [1],
        text: "x",
      },
      {
        small: -3,
        edge: 0,
        neg: 5,
        big: 1,
        mixedInt: 2 ** 40,
        ratio: 2,
        mixedNum: 2.25,
        flag: false,
        utc: "2025-03-02T10:00:00Z",
        offset: "2025-03-01T10:00:00-0500",
        frac: "2025-03-01T10:00:01Z",
        naive: "2025-03-01 10:00:00",
        date: "2025-03-02",
        obj: [],
        list: [],
        text: "y",
      },
    ];
    expect(typesOf(records)).toEqual({
      small: "INT",
      edge: "INT",
      neg: "INT",
      big: "LONG",
      mixedInt: "LONG",
      ratio: "DOUBLE",
      mixedNum: "DOUBLE",
      flag: "BOOLEAN",
      utc: "UTC_DATETIME",
      offset: "UTC_DATETIME",
      frac: "UTC_DATETIME",
      naive: "NAIVE_DATETIME",
      date: "STRING",
      obj: "JSON",
      list: "JSON",
      text: "STRING",
    });
  });

  test("mixed kinds are STRING: zoned with unzoned timestamps, numbers with text, a non-date that looks like one", () => {
    const records = [
      { zones: "2025-03-01T10:00:00Z", kinds: 1, bad: "2025-03-01T10:00:00Z", late: "2025-03-01T10:00:00Z" },
      { zones: "2025-03-01T10:00:00", kinds: "one", bad: "2025-13-45T10:00:00Z", late: true },
    ];
    expect(typesOf(records)).toEqual({ zones: "STRING", kinds: "STRING", bad: "STRING", late: "STRING" });
  });

  test("a field null or missing in some record is nullable and typed by its other values; always null is STRING", () => {
    const records = [
      { a: 1, b: null, c: null },
      { a: 2, c: null, d: "2025-03-01T10:00:00Z" },
      { a: 3, b: 4, c: null },
    ];
    expect(typesOf(records)).toEqual({ a: "INT", b: "INT?", c: "STRING?", d: "UTC_DATETIME?" });
    expect(inferFields([])).toEqual([]);
  });
});

describe("candidates", () => {
  test("primary keys: key-like names with present, scalar, unique values; id first", () => {
    const records = [
      { account_id: 9, uuid: "u1", paid: 1, id: 1, team_id: 5, orgId: "o1", parent_id: null, tags_id: [1] },
      { account_id: 9, uuid: "u2", paid: 2, id: 2, team_id: 6, orgId: "o2", parent_id: 1, tags_id: [2] },
    ];
    expect(primaryKeyCandidates(records, inferFields(records))).toEqual(["id", "uuid", "team_id", "orgId"]);
    expect(primaryKeyCandidates([], [])).toEqual([]);
  });

  test("cursors: timestamps present in every record, change times (updated, modified, changed, last_*) first", () => {
    const records = [
      {
        created_at: "2025-03-01T10:00:00Z",
        lastLogin: "2025-03-01T10:00:00Z",
        updated_at: "2025-03-01T10:00:00Z",
        deleted_at: null,
        name: "a",
        dateModified: "2025-03-01T10:00:00",
      },
      {
        created_at: "2025-03-01T10:00:00Z",
        lastLogin: "2025-03-01T10:00:00Z",
        updated_at: "2025-03-01T10:00:00Z",
        deleted_at: "2025-03-01T10:00:00Z",
        name: "b",
        dateModified: "2025-03-01T10:00:00",
      },
    ];
    expect(cursorCandidates(inferFields(records))).toEqual(["lastLogin", "updated_at", "dateModified", "created_at"]);
  });
});
