// The connector's public face for the CLI and the tests: runSync and the types around it. Modules inside
// src/connector import from where a thing is defined, never from here, so this file closes no import cycle.
export type { RunOptions, SyncDeps } from "./run-types";
export type { PageStep } from "./reader/types";
export type { SyncSummary, SyncTiming } from "./summary";
export { timed } from "./summary";
export { contextOf, sourceOf } from "./run-context";
export { runSync } from "./sync";
