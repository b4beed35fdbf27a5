// An https API whose certificate the connector cannot trust (self-signed, an internal CA, another host's name): the
// same certificate comes back on every attempt, so the sync stops at once naming the problem and the fix, where it
// retried for five minutes. The fix it names (NODE_EXTRA_CA_CERTS) works with the compiled binary.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBinary } from "../../testkit/processes";
import { items } from "../helpers/dialects";
import { lenientApi } from "../helpers/lenient-server";
import { tableRows, tempDb } from "../helpers/sync";

const dir = mkdtempSync(join(tmpdir(), "connector-tls-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate for `names` (subjectAltName entries), made by openssl (.ci/run installs it). */
function certificate(name: string, names: string): { key: string; cert: string; certFile: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  const made = Bun.spawnSync(
    [
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
      "-addext",
      `subjectAltName=${names}`,
    ],
    { stderr: "pipe" },
  );
  if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
  return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8"), certFile: cert };
}

const args = (url: string, db: string) => ["sync", "--base-url", `${url}/items`, "--strategy", "offset", "--cursor-field", "modified", "--db", db];

describe("an https API with a certificate the connector does not trust", () => {
  test("self-signed: exit 1 at once, naming NODE_EXTRA_CA_CERTS; with it set to the certificate, the sync is exact", async () => {
    const tls = certificate("internal", "IP:127.0.0.1,DNS:localhost");
    const server = lenientApi(items(120), { style: "offset", sizeParam: "limit", sinceParam: "updated_since" }).serve(tls);
    try {
      const db = tempDb();
      const refused = await runBinary(args(server.url, db), { timeoutMs: 20_000 });
      expect(refused.code).toBe(1);
      expect(refused.stderr).not.toContain("retrying");
      expect(refused.stderr).toContain("the TLS certificate of 127.0.0.1:");
      expect(refused.stderr).toContain("is not trusted (self signed certificate, DEPTH_ZERO_SELF_SIGNED_CERT)");
      expect(refused.stderr).toContain("NODE_EXTRA_CA_CERTS");
      const trusted = await runBinary(args(server.url, db), { env: { NODE_EXTRA_CA_CERTS: tls.certFile } });
      expect(trusted.stderr).toBe("");
      expect(trusted.code).toBe(0);
      expect(tableRows(db).size).toBe(120);
    } finally {
      server.stop();
    }
  });

  test("a certificate for another host name, even when trusted: exit 1 at once, saying so", async () => {
    const tls = certificate("other", "DNS:api.example.com");
    const server = lenientApi(items(10), { style: "offset", sizeParam: "limit", sinceParam: "updated_since" }).serve(tls);
    try {
      const run = await runBinary(args(server.url, tempDb()), { env: { NODE_EXTRA_CA_CERTS: tls.certFile }, timeoutMs: 20_000 });
      expect(run.code).toBe(1);
      expect(run.stderr).not.toContain("retrying");
      expect(run.stderr).toContain("is for another host name (ERR_TLS_CERT_ALTNAME_INVALID)");
    } finally {
      server.stop();
    }
  });
});
