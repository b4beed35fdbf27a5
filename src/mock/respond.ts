import { utf8, type ByteWriter } from "./data/bytes";

const DATA_OPEN = utf8('{"data":[');

/** Responses built from text: pages are assembled from stored JSON, never re-serialized. */
export function jsonText(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": "application/json", ...headers } });
}

/** Every error is `{"error": "<what is wrong and what is allowed>"}`. */
export function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return jsonText(JSON.stringify({ error: message }), status, headers);
}

/**
 * `{"data":[...],...rest}`: `writeRows` writes the rows' JSON straight into the writer and returns the fields that
 * follow `data` (in their order), which may depend on the rows (a next token).
 */
export function pageResponse(w: ByteWriter, writeRows: (w: ByteWriter) => Record<string, unknown>): Response {
  w.reset();
  w.bytes(DATA_OPEN);
  const rest = JSON.stringify(writeRows(w));
  w.byte(93);
  if (rest !== "{}") {
    w.byte(44);
    w.text(rest.slice(1));
  } else w.byte(125);
  return new Response(w.take(), { headers: { "content-type": "application/json" } });
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
