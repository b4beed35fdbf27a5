import { createHmac, timingSafeEqual } from "node:crypto";

export type SessionCheck = "valid" | "invalid" | "expired";

/**
 * Stateless session tokens: `<expiry>.<nonce>.<mac>`, the MAC keyed by the server's token secret (--auth-token), so a
 * token cannot be forged or extended and expires after the TTL by the injected clock.
 */
export class Sessions {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: () => number,
  ) {}

  issue(): { token: string; expiresIn: number } {
    const expiry = Math.floor(this.clock() / 1000) + this.ttlSeconds;
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(9))).toString("base64url");
    const payload = `${expiry}.${nonce}`;
    return { token: `${payload}.${this.mac(payload)}`, expiresIn: this.ttlSeconds };
  }

  check(token: string): SessionCheck {
    const m = /^(\d{1,15})\.([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return "invalid";
    if (!sameText(this.mac(`${m[1]}.${m[2]}`), m[3]!)) return "invalid";
    return this.clock() < Number(m[1]) * 1000 ? "valid" : "expired";
  }

  private mac(payload: string): string {
    return createHmac("sha256", this.secret).update(payload).digest("base64url");
  }
}

/** Compares secrets in constant time (for equal lengths; a length difference says nothing about the content). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
