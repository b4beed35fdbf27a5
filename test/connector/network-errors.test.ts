// Network failures as a user reads them at 3 a.m.: where to look, not Bun's "Is the computer able to access the
// url?". Real sockets on loopback: a port nobody listens on, and https asked of a plain-http server.
import { expect, test } from "bun:test";
import { syncOnce, tempDb } from "../helpers/sync";

const config = (base_url: string) => ({ base_url, strategy: "offset", retry: { max_attempts: 2 } });

test("a port nobody listens on: 'connection refused … nothing is listening there', naming host and port", async () => {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("{}") });
  const port = server.port;
  server.stop(true); // the port is free again: nothing listens on it
  const run = await syncOnce(tempDb(), config(`http://127.0.0.1:${port}/items`), fetch);
  expect(run.error?.message).toContain(
    `network error: connection refused by 127.0.0.1:${port}: nothing is listening there (is the API up, and is base_url's port right?)`,
  );
  expect(run.error?.message).toContain("gave up after 2 attempts");
});

test("https asked of a plain-http server: 'does it speak https on this port?'", async () => {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("{}") });
  try {
    const run = await syncOnce(tempDb(), config(`https://127.0.0.1:${server.port}/items`), fetch);
    expect(run.error?.message).toContain(`network error: the TLS handshake with 127.0.0.1:${server.port} failed: does it speak https on this port?`);
  } finally {
    server.stop(true);
  }
});
