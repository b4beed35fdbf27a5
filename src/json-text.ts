// JSON text of nested values, shared by the connector (declared STRING/JSON columns) and the stores.

/** JSON text of a nested value; hostile nesting is a clear error, not a stack overflow. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof RangeError) throw new NestingError();
    throw error;
  }
}

export class NestingError extends Error {
  constructor() {
    super("a value is nested too deeply to store as JSON text");
  }
}
