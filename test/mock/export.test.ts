import { describe, expect, test } from "bun:test";
import { csvLine } from "../../src/mock/routes/export";
import { byId, dataset, get, mockApp, type User } from "./helpers";

/** A small RFC 4180 reader, enough to check the export round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += ch;
  }
  return rows;
}

describe("GET /export/csv", () => {
  test("every row with a header line; parsing it back gives the dataset", async () => {
    const mock = mockApp({ records: 321 });
    const { status, text, headers } = await get(mock, "/export/csv");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toStartWith("text/csv");
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(["id", "name", "email", "address", "company", "job", "createdAt", "updatedAt"]);
    expect(rows).toHaveLength(321);
    const users = rows.map((r) => Object.fromEntries(header!.map((k, i) => [k, r[i]])) as unknown as User);
    expect(users.toSorted(byId)).toEqual(await dataset(mock));
  });

  test("quotes fields with commas, quotes and line breaks, doubling quotes", () => {
    expect(csvLine(["plain", "a, b", 'say "hi"', "two\nlines"])).toBe('plain,"a, b","say ""hi""","two\nlines"\r\n');
  });

  test("takes no parameters", async () => {
    expect((await get(mockApp(), "/export/csv?limit=1")).status).toBe(400);
  });
});
