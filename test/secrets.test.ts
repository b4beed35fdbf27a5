// Issue 17: one secrets module. Before it, three dialects decided what is a secret (secrets.ts for parameters and
// headers, probe-config.ts's allowlist of plain headers, load.ts's auth shape keys); each is copied here as it was,
// and every name any of them masked is still masked by the one module (nothing that was masked is unmasked).
import { describe, expect, test } from "bun:test";
import { AUTH_SHAPE_KEYS, credentialForms, isSecretHeader, isSecretParam, isUnsafeToWrite, maskShapes, maskUrl, POSITION_NAMES } from "../src/secrets";

const BEFORE = {
  param: (name: string) => /token|secret|passw|pwd|key|signature|^sig$|auth|credential|session|^code$|cookie/i.test(name) && !POSITION_NAMES.includes(name),
  header: (name: string) => /auth|cookie|token|secret|passw|pwd|key|session|credential|signature/i.test(name),
  probeHeader: (name: string) => !/^(accept(-[a-z]+)?|user-agent|content-type|cache-control|pragma|prefer|x-requested-with|([a-z0-9]+-)*version)$/i.test(name),
  authShape: ["type", "token_field", "header", "query_param", "in", "login_url", "scheme"],
};

const NAMES = [
  "access_token",
  "api_key",
  "apiKey",
  "key",
  "sig",
  "signature",
  "code",
  "client_secret",
  "password",
  "passwd",
  "pwd",
  "session",
  "sessionid",
  "auth",
  "Authorization",
  "Proxy-Authorization",
  "Cookie",
  "Set-Cookie",
  "X-Api-Key",
  "X-Auth-Token",
  "X-Session",
  "X-Credential",
  "X-Signature",
  "X-Tenant-Id",
  "X-Trace",
  "Accept",
  "Accept-Language",
  "User-Agent",
  "Content-Type",
  "Cache-Control",
  "Prefer",
  "X-Api-Version",
  "X-Api-Key-Version",
  "cursor",
  "after",
  "page_token",
  "pageToken",
  "next_token",
  "continuationToken",
  "marker",
  "limit",
  "offset",
  "page",
  "per_page",
  "q",
  "sort",
  "fields",
];

describe("one notion of a secret name", () => {
  test("every name a former dialect masked is still masked where that dialect was used", () => {
    for (const name of NAMES) {
      if (BEFORE.param(name)) expect([name, isSecretParam(name)]).toEqual([name, true]);
      if (BEFORE.header(name)) expect([name, isSecretHeader(name)]).toEqual([name, true]);
      if (BEFORE.probeHeader(name) || BEFORE.header(name)) expect([name, isUnsafeToWrite(name)]).toEqual([name, true]);
    }
    expect([...AUTH_SHAPE_KEYS].sort()).toEqual([...BEFORE.authShape].sort());
  });

  test("plain names stay plain: paging parameters, position tokens as parameters, plain headers in a written file", () => {
    for (const name of ["limit", "offset", "page", "cursor", "pageToken", "next_token", "q", "sort"])
      expect([name, isSecretParam(name)]).toEqual([name, false]);
    for (const name of ["Accept", "User-Agent", "Content-Type", "X-Api-Version"]) expect([name, isUnsafeToWrite(name)]).toEqual([name, false]);
    expect(isUnsafeToWrite("X-Tenant-Id")).toBe(true);
    expect(isSecretHeader("X-Tenant-Id")).toBe(false);
  });

  test("masking: a credential with and without its scheme, query values by name, user:password@", () => {
    expect(credentialForms("Bearer abc123")).toEqual(["Bearer abc123", "abc123"]);
    expect(maskShapes("GET https://u:p@a.test/x?api_key=k1&page=2&cursor=c9")).toBe("GET https://***@a.test/x?api_key=***&page=2&cursor=c9");
    expect(maskUrl(new URL("https://u:p@a.test/x?access_token=t0k&token=&limit=5"))).toBe("https://u:***@a.test/x?access_token=***&token=***&limit=5");
    expect(maskUrl("postgres://ann:pw@db:5432/x?password=pw&sslmode=require")).toBe("postgres://ann:***@db:5432/x?password=***&sslmode=require");
    expect(maskUrl("postgres://ann:pw@[bad/x")).toBe("postgres://ann:***@[bad/x");
  });
});
