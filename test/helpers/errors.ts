import { ConfigError } from "../../src/errors";

/** The message of the ConfigError `fn` throws; any other outcome fails the test. */
export function configMessageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}
