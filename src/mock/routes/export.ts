import type { Hono } from "hono";
import type { MockContext } from "../context";
import { USER_COLUMNS, type User } from "../data/user";
import { noQuery } from "../query";
import { streamText } from "../respond";

/** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

async function* csvBatches(ctx: MockContext): AsyncGenerator<string> {
  yield csvLine(USER_COLUMNS);
  for await (const rows of ctx.dataset.walkByUpdated()) {
    let chunk = "";
    for (const row of rows) {
      const user = JSON.parse(row) as User;
      chunk += csvLine(USER_COLUMNS.map((column) => user[column]));
    }
    yield chunk;
  }
}

/** Every row as CSV with a header line, in (updatedAt, id) order, streamed. */
export function exportRoutes(app: Hono, ctx: MockContext): void {
  app.get("/export/csv", noQuery(), () => {
    const response = streamText(csvBatches(ctx), "text/csv; charset=utf-8");
    response.headers.set("content-disposition", 'attachment; filename="users.csv"');
    return response;
  });
}
