// `sync --help` is written from the strategy registry: every strategy is offered, and described once.
import { describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { memoryIo } from "../../src/cli/io";
import { runCli } from "../../src/cli/run";
import { STRATEGIES, STRATEGY_NAMES } from "../../src/connector/paginators/registry";

describe("sync --help", () => {
  test("names every strategy of the registry on --strategy, and lists each with its description", async () => {
    const io = memoryIo({ env: {}, cwd: tmpdir(), isTTY: false });
    expect(await runCli(["sync", "--help"], io)).toBe(0);
    const help = io.out.join("");
    const option = help.match(/^ {2}--strategy <S> +(.+)$/m)?.[1] ?? "";
    expect(option.split(/, | or | \(/).slice(0, STRATEGY_NAMES.length + 1)).toEqual(["auto", ...STRATEGY_NAMES]);
    for (const name of STRATEGY_NAMES) expect(help).toMatch(new RegExp(`^ {2}${name} +${RegExp.escape(STRATEGIES[name].description)}$`, "m"));
    expect(STRATEGY_NAMES).toContain("link_header");
  });
});
