// The exposed mock: with --require-auth every data and control endpoint needs the credential, and beyond loopback
// control requests are off unless --allow-control. 127.0.0.2 is a loopback address the mock does not count as
// loopback (it only trusts 127.0.0.1, localhost, ::1), so the test exercises "exposed" without exposing anything.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startMockBinary, type RunningMock } from "../../testkit/processes";

const TOKEN = "mock-exposed-T0ken-77";
const DATA_AND_CONTROL = [
  "/_mock/dataset",
  "/export/csv",
  "/_mock/stats",
  "/_mock/mutations",
  "/pagination/offset",
  "/pagination/page_number",
  "/pagination/keyset",
  "/pagination/next_page_url",
];

describe("serve-mock --host 127.0.0.2 --require-auth bearer", () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMockBinary(["--host", "127.0.0.2", "--records", "200", "--seed", "5", "--require-auth", "bearer", "--auth-token", TOKEN]);
  }, 30_000);
  afterAll(() => mock.stop());
  const bearer = { authorization: `Bearer ${TOKEN}` };

  test("every data and control endpoint refuses a request without the credential and serves one with it", async () => {
    for (const path of DATA_AND_CONTROL) {
      const denied = await fetch(`${mock.url}${path}`);
      expect({ path, status: denied.status }).toEqual({ path, status: 401 });
      expect(await denied.text()).not.toContain(TOKEN);
      expect({ path, status: (await fetch(`${mock.url}${path}`, { headers: bearer })).status }).toEqual({ path, status: 200 });
    }
  });

  test("an unauthenticated POST /_mock/mutations is refused, and so is an authenticated one without --allow-control", async () => {
    const body = JSON.stringify({ per_sec: 100000 });
    const headers = { "content-type": "application/json" };
    expect((await fetch(`${mock.url}/_mock/mutations`, { method: "POST", body, headers })).status).toBe(401);
    const control = await fetch(`${mock.url}/_mock/mutations`, { method: "POST", body, headers: { ...headers, ...bearer } });
    expect(control.status).toBe(403);
    expect(await control.text()).toContain("--allow-control");
    await Bun.sleep(300);
    const rows = (await (await fetch(`${mock.url}/_mock/dataset`, { headers: bearer })).text()).trim().split("\n");
    expect(rows).toHaveLength(200);
  });
});

test("--allow-control turns control requests on beyond loopback (with the credential)", async () => {
  const mock = await startMockBinary(["--host", "127.0.0.2", "--records", "20", "--require-auth", "bearer", "--auth-token", TOKEN, "--allow-control"]);
  try {
    const response = await fetch(`${mock.url}/_mock/mutations`, {
      method: "POST",
      body: JSON.stringify({ per_sec: 0 }),
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(200);
  } finally {
    await mock.stop();
  }
}, 30_000);
