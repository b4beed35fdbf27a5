import { createMockApp, type MockApp } from "./app";
import type { MockOptions, Namer } from "./options";

export interface MockServer {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  mock: MockApp;
  stop(): Promise<void>;
}

/** Bun's limit; the default of 10 s would cut off slow (latency-fault) responses. */
const IDLE_TIMEOUT_SECONDS = 255;

/** Serves the mock with Bun.serve on 127.0.0.1 unless told otherwise; port 0 picks a free port. */
export async function startMockServer(options: MockOptions & { host?: string; port?: number } = {}, name?: Namer): Promise<MockServer> {
  const { host = "127.0.0.1", port = 5001, ...mockOptions } = options;
  const mock = createMockApp(mockOptions, name);
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({ hostname: host, port, fetch: mock.fetch, idleTimeout: IDLE_TIMEOUT_SECONDS });
  } catch (error) {
    mock.close();
    throw error;
  }
  const shown = server.hostname?.includes(":") ? `[${server.hostname}]` : server.hostname;
  return {
    url: `http://${shown}:${server.port}`,
    mock,
    async stop() {
      await server.stop(true);
      mock.close();
    },
  };
}
