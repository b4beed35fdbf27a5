import { describe, expect, test } from "bun:test";
import { sortByUpdatedAndId } from "../../src/mock/data/sort-keys";
import { decodeToken, encodeToken } from "../../src/mock/keyset-token";
import { Prng, writeIdBytes } from "../../src/mock/prng";
import { formatTimestamp, parseTimestamp } from "../../src/mock/time";

describe("time", () => {
  test("parse and format round-trip, including year 1 and leap days", () => {
    for (const text of ["0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2024-02-29T12:00:00Z", "9999-12-31T23:59:59Z"]) {
      expect(formatTimestamp(parseTimestamp(text)!)).toBe(text);
    }
    expect(parseTimestamp("2024-06-01T12:00:00Z")).toBe(Date.parse("2024-06-01T12:00:00Z") / 1000);
    for (const bad of ["2023-02-29T00:00:00Z", "0000-01-01T00:00:00Z", "2024-1-01T00:00:00Z", "2024-01-01T00:00:60Z", " 2024-01-01T00:00:00Z"]) {
      expect(parseTimestamp(bad)).toBeUndefined();
    }
  });
});

describe("prng", () => {
  test("the same (seed, stream, index) gives the same sequence; neighbours differ", () => {
    const draw = (seed: number, stream: number, index: number) => {
      const p = new Prng(seed, stream, index);
      return Array.from({ length: 4 }, () => p.u32());
    };
    const a = new Prng(1, 0, 5);
    const b = new Prng(1, 0, 5);
    expect([a.u32(), a.u32(), a.next()]).toEqual([b.u32(), b.u32(), b.next()]);
    expect(draw(1, 0, 5)).not.toEqual(draw(1, 0, 6));
    expect(draw(1, 0, 5)).not.toEqual(draw(2, 0, 5));
    expect(draw(1, 0, 5)).not.toEqual(draw(1, 1, 5));
  });

  test("int stays in range and covers it; uuids are version 4", () => {
    const p = new Prng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const n = p.int(7);
      expect(n >= 0 && n < 7 && Number.isInteger(n)).toBe(true);
      seen.add(n);
    }
    expect(seen.size).toBe(7);
    const words = new Uint32Array(4);
    p.uuidWords(words);
    const bytes = new Uint8Array(16);
    writeIdBytes(words, 0, bytes, 0);
    expect(bytes[6]! >> 4).toBe(4);
    expect(bytes[8]! >> 6).toBe(2);
  });
});

describe("sortByUpdatedAndId", () => {
  test("equals a comparator sort on (updatedAt, id words), ties and shared first words included", () => {
    const p = new Prng(11);
    const n = 5000;
    const start = 1_700_000_000;
    const updatedAt = new Float64Array(n);
    const words = new Uint32Array(n * 4);
    for (let i = 0; i < n; i++) {
      updatedAt[i] = start + p.int(200);
      p.uuidWords(words, i * 4);
      if (i % 10 === 0) words[i * 4] = 7;
    }
    const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      if (updatedAt[a] !== updatedAt[b]) return updatedAt[a]! - updatedAt[b]!;
      for (let w = 0; w < 4; w++) if (words[a * 4 + w] !== words[b * 4 + w]) return words[a * 4 + w]! - words[b * 4 + w]!;
      return 0;
    });
    expect([...sortByUpdatedAndId(updatedAt, start, words)]).toEqual(expected);
  });
});

describe("keyset tokens", () => {
  test("round-trip the order, filter and position; are URL-safe", () => {
    const state = { order: { by: "createdAt", type: "desc" }, since: -62135596800, after: { key: 1717243200, id: new Uint8Array(16).fill(171) } } as const;
    const token = encodeToken(state);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const back = decodeToken(token)!;
    expect(back.order).toEqual(state.order);
    expect(back.since).toBe(state.since);
    expect(back.after.key).toBe(state.after.key);
    expect([...back.after.id]).toEqual([...state.after.id]);
  });
});
