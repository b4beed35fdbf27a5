/** Replaces every known secret value in text with ***. Short values are left alone: they would mask too much. */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const values = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  const encoded = values.flatMap((s) => [s, encodeURIComponent(s)]);
  return (text) => encoded.reduce((out, secret) => out.split(secret).join("***"), text);
}
