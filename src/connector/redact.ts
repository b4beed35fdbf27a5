/**
 * Replaces every known secret value in text with ***. Secrets can be added later (a session token obtained at
 * run time). Very short values are left alone: they would mask too much to be useful.
 */
export class Redactor {
  private values: string[] = [];

  constructor(secrets: readonly string[] = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string): void {
    if (secret.length < 4) return;
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
    this.values = [...new Set([...this.values, ...forms])].sort((a, b) => b.length - a.length);
  }

  readonly redact = (text: string): string => this.values.reduce((out, secret) => out.split(secret).join("***"), text);
}
