/** Responses built from text: pages are assembled from stored JSON, never re-serialized. */
export function jsonText(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": "application/json", ...headers } });
}

/** Every error is `{"error": "<what is wrong and what is allowed>"}`. */
export function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return jsonText(JSON.stringify({ error: message }), status, headers);
}

/** `{"data":[...],...rest}` with the rows' JSON texts spliced in; `rest` keeps its key order. */
export function pageBody(rows: readonly string[], rest: Record<string, unknown>): string {
  const tail = JSON.stringify(rest);
  return `{"data":[${rows.join(",")}]${tail === "{}" ? "" : `,${tail.slice(1, -1)}`}}`;
}

/** A streamed text body, one chunk per batch, for responses too large to build at once. */
export function streamText(batches: AsyncIterable<string>, contentType: string): Response {
  const iterator = batches[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(stream, { headers: { "content-type": contentType } });
}
