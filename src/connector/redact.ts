/** Query parameters whose values are credentials by their name (access_token=, api_key=, sig=, ...). */
const SECRET_PARAM = /([?&;](?:[\w.-]*(?:token|secret|password|passwd|api[_-]?key|apikey|signature|sig|session|credential|auth)[\w.-]*|key|code)=)[^&#\s"'<>]+/gi;

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

  readonly redact = (text: string): string =>
    this.values.reduce((out, secret) => out.split(secret).join("***"), text).replace(SECRET_PARAM, (_, name: string) => `${name}***`);
}
