// The in-process mocks a test opened, closed after each test by the preloaded hook (test/setup.ts): a hook in a
// helper module is bun test's for the first file that imports it only, so later files' mocks (and their mutation
// timers) outlived their tests.

const open: { close(): void }[] = [];

/** Notes a mock to close after the current test. */
export function closeAfterTest(mock: { close(): void }): void {
  open.push(mock);
}

/** Closes every mock opened since the last call. */
export function closeOpenMocks(): void {
  for (const mock of open.splice(0)) mock.close();
}
