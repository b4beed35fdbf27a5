// The real mock in process for connector and CLI tests: fixed anchor time unless a test sets its own, reached
// through a FetchLike (app.fetch, no socket), and closed after each test so no mutation timer outlives it.
import type { FetchLike } from "../../src/connector/http/client";
import { createMockApp, type MockApp, type MockOptions } from "../../src/mock";
import { closeAfterTest } from "./open-mocks";

/** The mock's "now" in these tests: data and cursors are the same on every run and every machine. */
export const MOCK_NOW = "2026-01-15T12:00:00Z";

/** A mock app (options over MOCK_NOW) and a fetch that calls it in process. */
export function inProcessMock(options: MockOptions = {}): { mock: MockApp; fetch: FetchLike } {
  const mock = createMockApp({ now: MOCK_NOW, ...options });
  closeAfterTest(mock);
  return { mock, fetch: (request) => mock.fetch(request) };
}
