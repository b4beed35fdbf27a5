// Secrets never printed or saved, against hostile input: configuration errors, a server that echoes its query into
// next links, and one that echoes secret-looking headers into its error bodies. Run with the compiled binary.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runBinary } from "../../testkit/processes";
import { tempDb } from "../helpers/sync";

const HEADER_SECRETS: Record<string, string> = {
  "X-Password": "LiteralPw-77231",
  "X-Auth": "LiteralAuth-55102",
  Authentication: "LiteralAuthn-90817",
  Cookie: "sid=LiteralCookie-3310",
  "X-Api-Key": "LiteralApiKey-6620",
};

/** A hostile API: /items echoes its whole query into next links (GitHub-style), /echo puts the request's headers in a 400. */
function hostile(): ReturnType<typeof Bun.serve> {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/echo") {
        const echoed = Object.keys(HEADER_SECRETS)
          .map((name) => `${name}: ${request.headers.get(name)}`)
          .join(" | ");
        return Response.json({ error: echoed }, { status: 400 });
      }
      const page = Number(url.searchParams.get("page") ?? "1");
      const data = Array.from({ length: 10 }, (_, i) => ({ id: (page - 1) * 10 + i + 1, updatedAt: "2024-01-01T00:00:00Z" }));
      const next = new URL(url.href);
      next.searchParams.set("page", String(page + 1));
      return Response.json({ data, next_page_url: page < 5 ? next.href : null });
    },
  });
}

const config = (db: string, body: Record<string, unknown>) => {
  const path = join(dirname(db), "configuration.json");
  writeFileSync(path, JSON.stringify(body));
  return path;
};

describe("configuration errors print no secret", () => {
  test("user:password@ and a credential parameter in --base-url are masked in the exit-2 message", async () => {
    const userinfo = await runBinary(["sync", "--base-url", "https://alice:Sup3rS3cretPw@127.0.0.1:9/x", "--db", tempDb()]);
    expect(userinfo.code).toBe(2);
    expect(userinfo.stderr).toContain("base_url");
    expect(userinfo.stderr).not.toContain("Sup3rS3cretPw");
    const token = await runBinary(["sync", "--base-url", "api.example.com/v1?access_token=LiteralTok-8899", "--db", tempDb()]);
    expect(token.code).toBe(2);
    expect(token.stderr).toContain("base_url");
    expect(token.stderr).not.toContain("LiteralTok-8899");
  });

  test("a file's base_url, auth.login_url and a numeric auth.password are never echoed", async () => {
    const db = tempDb();
    const cases: Record<string, unknown>[] = [
      { base_url: "http://bob:FileSecretPw-41@127.0.0.1:9/x" },
      {
        base_url: "http://127.0.0.1:9/x",
        auth: { type: "session_token", login_url: "ftp://127.0.0.1/login?password=LoginPw-9090", username: "u", password: "p4ssword-x" },
      },
      { base_url: "http://127.0.0.1:9/x", auth: { type: "basic", username: "someone", password: 1234567890 } },
    ];
    for (const body of cases) {
      const run = await runBinary(["sync", "--config", config(db, body), "--db", db]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/base_url|auth\./);
      for (const secret of ["FileSecretPw-41", "LoginPw-9090", "1234567890", "p4ssword-x"]) expect(run.stderr).not.toContain(secret);
    }
  });
});

describe("servers that echo secrets", () => {
  let server: ReturnType<typeof Bun.serve>;
  beforeAll(() => {
    server = hostile();
  });
  afterAll(() => server.stop(true));

  test("a ${VAR} in params echoed into next links is not saved in state nor printed by `state`", async () => {
    const db = tempDb();
    const KEY = "EchoedKey-0c41d7";
    const path = config(db, {
      base_url: `http://127.0.0.1:${server.port}/items`,
      strategy: "next_page_url",
      page_size: 10,
      max_pages: 2,
      request: { since_param: null },
      params: { access_token: "${KEY}", client_sig: "${KEY}" },
    });
    const run = await runBinary(["sync", "--config", path, "--db", db, "--checkpoint-rows", "1"], { env: { KEY } });
    expect(run.stderr).toContain("max_pages");
    expect(`${run.stdout}${run.stderr}`).not.toContain(KEY);
    for (const file of readdirSync(dirname(db)).filter((name) => db.endsWith(name.replace(/-(wal|shm|journal)$/, "")))) {
      expect({ file, leaks: readFileSync(join(dirname(db), file)).includes(KEY) }).toEqual({ file, leaks: false });
    }
    const state = await runBinary(["state", "--db", db]);
    expect(state.code).toBe(0);
    expect(state.stdout).toContain("page=3");
    expect(state.stdout).not.toContain(KEY);
    // The run resumes from the saved URL, the secret sent again from the configuration, and finishes.
    const resumed = await runBinary(["sync", "--config", path, "--db", db, "--max-pages", "100"], { env: { KEY } });
    expect(resumed.stderr).not.toContain(KEY);
    expect(resumed.code).toBe(0);
  });

  test("literal values of secret-looking headers are masked by name when a server echoes them", async () => {
    const db = tempDb();
    const path = config(db, { base_url: `http://127.0.0.1:${server.port}/echo`, headers: HEADER_SECRETS });
    const run = await runBinary(["sync", "--config", path, "--db", db]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("HTTP 400");
    expect(run.stderr).toContain("X-Password: ***");
    for (const value of Object.values(HEADER_SECRETS)) expect(run.stderr).not.toContain(value.replace(/^sid=/, ""));
  });
});

describe("no credentials over a downgrade", () => {
  test("an http:// allowed origin with send_credentials_to_allowed_origins and an https base_url is refused (exit 2) unless send_credentials_over_http", async () => {
    let requests = 0;
    // Not the mock: a bare http:// origin that only counts requests, to prove none reaches it.
    const plain = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => (requests++, Response.json({ data: [] })) });
    try {
      const db = tempDb();
      const body = {
        base_url: "https://127.0.0.1:9/items",
        allow_origins: [`http://127.0.0.1:${plain.port}`],
        send_credentials_to_allowed_origins: true,
        auth: { type: "bearer", token: "downgrade-T0ken" },
        retry: { max_attempts: 1 },
      };
      const refused = await runBinary(["sync", "--config", config(db, body), "--db", db]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("send_credentials_over_http");
      expect(refused.stderr).not.toContain("downgrade-T0ken");
      // With the separate, explicit setting the configuration is accepted (the https API itself is unreachable here).
      const allowed = await runBinary(["sync", "--config", config(db, { ...body, send_credentials_over_http: true }), "--db", db]);
      expect(allowed.code).toBe(1);
      expect(allowed.stderr).not.toContain("send_credentials_over_http");
      expect(requests).toBe(0);
    } finally {
      plain.stop(true);
    }
  });
});
