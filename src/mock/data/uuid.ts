/** A uuid's text from its four words (the same digits writeUser prints). */
export function uuidOfWords(words: Uint32Array, at = 0): string {
  const hex = (i: number) => words[at + i]!.toString(16).padStart(8, "0");
  const [a, b, c, d] = [hex(0), hex(1), hex(2), hex(3)];
  return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
}

/** A uuid's text from its 16 bytes (a stored user id). */
export function uuidOfBytes(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 16 bytes of a uuid written as the mock writes them (lower-case hex), or undefined for anything else. */
export function bytesOfUuid(text: string): Uint8Array | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text.replaceAll("-", ""), "hex"));
}
