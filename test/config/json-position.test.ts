// Issue 14 §5: invalid JSON in configuration.json is reported with its line and column.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsonErrorOffset } from "../../src/config/json-position";
import { loadConfig } from "../../src/config/load";

const dir = mkdtempSync(join(tmpdir(), "connector-json-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function messageFor(text: string): string {
  writeFileSync(join(dir, "configuration.json"), text);
  try {
    loadConfig({ env: {}, cwd: dir });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
}

describe("configuration JSON errors give line and column", () => {
  test("a trailing comma, a missing colon, a bad literal, a missing brace", () => {
    expect(messageFor('{\n  "base_url": "http://a.test",\n  "page_size": 50,\n}\n')).toContain("is not valid JSON at line 4, column 1");
    expect(messageFor('{\n  "base_url" "http://a.test"\n}')).toContain("at line 2, column 14");
    expect(messageFor('{"base_url": "http://a.test", "strict_totals": tru}')).toContain("at line 1, column 48");
    expect(messageFor('{"base_url": "http://a.test"')).toContain("(the file ends too soon)");
  });

  test("the scanner agrees with JSON.parse on valid and invalid texts", () => {
    const valid = ['{"a": [1, -2.5e3, true, false, null, "x\\"\\u00e9"], "b": {}}', "[]", ' "s" ', "0"];
    for (const text of valid) expect(jsonErrorOffset(text)).toBeNull();
    const invalid = ["{,}", "[1,]", '{"a":01}', "[1 2]", '"\\x"', "{'a': 1}", "", "[", '{"a":1}}'];
    for (const text of invalid) {
      expect(() => JSON.parse(text)).toThrow();
      expect(jsonErrorOffset(text)).not.toBeNull();
    }
  });
});
