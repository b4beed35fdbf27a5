// The embedded mock API: a drop-in superset of fivetran-api-playground. The connector never imports this module's
// internals; it meets the mock over HTTP (or mock.fetch in tests).
export { createMockApp, type MockApp } from "./app";
export { startMockServer, type MockServer } from "./server";
export type { AuthKind, MockOptions } from "./options";
