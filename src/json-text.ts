// JSON text of nested values, shared by the connector (declared STRING/JSON columns) and the stores.
import { NestingError } from "./errors";

export { NestingError };

/** JSON text of a nested value; hostile nesting is a clear error, not a stack overflow. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof RangeError) throw new NestingError();
    throw error;
  }
}
