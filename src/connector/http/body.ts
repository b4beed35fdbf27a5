// Bodies the sync does not need in full (an error's, a login's) are read only up to a small limit, counted after
// fetch has inflated them (gzip, br, deflate), and the rest is cancelled: memory stays bounded whatever a server sends.

/** An error body's excerpt needs no more than this. */
export const ERROR_BODY_BYTES = 4096;
/** A login answer holds a token (a JWT is a few KB): more than this is not a login answer. */
export const LOGIN_BODY_BYTES = 64 * 1024;

/** The body as text, at most `limit` bytes of it; `complete` is false when there was more (the rest is never read). */
export async function readCapped(response: Response, limit: number): Promise<{ text: string; complete: boolean }> {
  if (!response.body) return { text: "", complete: true };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let complete = true;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value.byteLength + size > limit ? value.subarray(0, limit - size) : value);
      size += value.byteLength;
      if (size > limit) {
        complete = false;
        break;
      }
    }
  } finally {
    if (!complete) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), complete };
}
