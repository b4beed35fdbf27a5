import type { AuthKind, Settings } from "./options";
import { sameText, type Sessions } from "./sessions";

/** The Authorization scheme each kind expects, as the playground's examples send it, and what follows it. */
const SCHEMES: Record<AuthKind, [scheme: string, value: string]> = {
  basic: ["Basic", "base64 of user:password"],
  bearer: ["Bearer", "token"],
  api_key: ["apiKey", "key"],
  session_token: ["Token", "token from POST /auth/session_token/login"],
};
const CHALLENGES: Partial<Record<AuthKind, string>> = { basic: 'Basic realm="connector mock"', bearer: "Bearer" };

export interface AuthFailure {
  message: string;
  headers: Record<string, string>;
}

/** Checks an Authorization header for one kind of credential; undefined when it is right. */
export function checkCredential(kind: AuthKind, header: string | null, settings: Settings, sessions: Sessions): AuthFailure | undefined {
  const [scheme, shape] = SCHEMES[kind];
  const challenge = CHALLENGES[kind];
  const headers: Record<string, string> = challenge ? { "www-authenticate": challenge } : {};
  const fail = (message: string): AuthFailure => ({ message, headers });
  const m = header === null ? null : /^(\S+) +(\S+)$/.exec(header.trim());
  if (!m || m[1]!.toLowerCase() !== scheme.toLowerCase()) {
    return fail(`Missing credentials: send 'Authorization: ${scheme} <${shape}>'.`);
  }
  const value = m[2]!;
  const { user, password, token } = settings.credentials;
  switch (kind) {
    case "basic": {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const ok = colon > 0 && sameText(decoded.slice(0, colon), user) && sameText(decoded.slice(colon + 1), password);
      return ok ? undefined : fail("Invalid credentials: wrong user or password.");
    }
    case "bearer":
    case "api_key":
      return sameText(value, token) ? undefined : fail(`Invalid credentials: wrong ${kind === "bearer" ? "bearer token" : "API key"}.`);
    case "session_token": {
      const result = sessions.check(value);
      if (result === "valid") return undefined;
      return fail(
        result === "expired"
          ? "Session token expired: log in again at POST /auth/session_token/login."
          : "Invalid credentials: not a session token this server issued.",
      );
    }
  }
}
