import type { Context, MiddlewareHandler } from "hono";
import { basicAuth } from "hono/basic-auth";
import { bearerAuth } from "hono/bearer-auth";
import { HTTPException } from "hono/http-exception";
import type { AuthKind, Settings } from "./options";
import { jsonError } from "./respond";
import { sameText, type SessionCheck, type Sessions } from "./sessions";

/** The Authorization scheme each kind expects, as the playground's examples send it, and what follows it. */
const SCHEMES: Record<AuthKind, [scheme: string, value: string]> = {
  basic: ["Basic", "base64 of user:password"],
  bearer: ["Bearer", "token"],
  api_key: ["apiKey", "key"],
  session_token: ["Token", "token from POST /auth/session_token/login"],
};
const CHALLENGES: Partial<Record<AuthKind, string>> = { basic: 'Basic realm="connector mock"', bearer: "Bearer" };

/** hono's middleware for each kind of credential, answering 401 `{"error"}` with the mock's messages. */
export type CredentialChecks = Record<AuthKind, MiddlewareHandler>;

const missing = (kind: AuthKind) => `Missing credentials: send 'Authorization: ${SCHEMES[kind][0]} <${SCHEMES[kind][1]}>'.`;
/** `<scheme> <one value>`: a credential of this kind was sent, so a failure is a wrong one, not a missing one. */
const sent = (kind: AuthKind, c: Context) => new RegExp(`^${SCHEMES[kind][0]} +\\S+$`, "i").test(c.req.header("authorization") ?? "");

function tokenAuth(kind: "bearer" | "api_key" | "session_token", settings: Settings, sessions: Sessions): MiddlewareHandler {
  // The session check's verdict (expired or forged) picks the message, which hono builds after verifyToken returns.
  const verdicts = new WeakMap<Context, SessionCheck>();
  const invalid = (c: Context) => {
    if (kind === "bearer") return "Invalid credentials: wrong bearer token.";
    if (kind === "api_key") return "Invalid credentials: wrong API key.";
    return verdicts.get(c) === "expired"
      ? "Session token expired: log in again at POST /auth/session_token/login."
      : "Invalid credentials: not a session token this server issued.";
  };
  const answer = (message: string) => jsonError(401, message, CHALLENGES[kind] ? { "www-authenticate": CHALLENGES[kind] } : {});
  return bearerAuth({
    prefix: SCHEMES[kind][0],
    verifyToken: (token, c) => {
      if (kind !== "session_token") return sameText(token, settings.credentials.token);
      verdicts.set(c, sessions.check(token));
      return verdicts.get(c) === "valid";
    },
    noAuthenticationHeader: { message: () => answer(missing(kind)) },
    // hono answers a header it cannot parse (another scheme, or a value outside RFC 6750's token characters) with
    // 400; the mock has always said 401, "missing" for another scheme and "invalid" for a malformed value.
    invalidAuthenticationHeader: { message: (c) => answer(sent(kind, c) ? invalid(c) : missing(kind)) },
    invalidToken: { message: (c) => answer(invalid(c)) },
  });
}

function basic(settings: Settings): MiddlewareHandler {
  const { user, password } = settings.credentials;
  return basicAuth({
    realm: "connector mock",
    verifyUser: (u, p) => sameText(u, user) && sameText(p, password),
    // A Basic value hono cannot decode (not base64, no ':') is a wrong credential, as it always was here.
    invalidUserMessage: (c) => ({ error: sent("basic", c) ? "Invalid credentials: wrong user or password." : missing("basic") }),
  });
}

/**
 * bearerAuth and basicAuth throw their 401 as an HTTPException; this answers it instead, without the WWW-Authenticate
 * bearerAuth adds for every scheme (the mock challenges only Basic and Bearer, as the playground does).
 */
function answering(kind: AuthKind, middleware: MiddlewareHandler): MiddlewareHandler {
  return async (c, next) => {
    try {
      return await middleware(c, next);
    } catch (error) {
      if (!(error instanceof HTTPException)) throw error;
      const response = error.getResponse();
      if (!CHALLENGES[kind]) response.headers.delete("www-authenticate");
      return response;
    }
  };
}

export function credentialChecks(settings: Settings, sessions: Sessions): CredentialChecks {
  return {
    basic: answering("basic", basic(settings)),
    bearer: answering("bearer", tokenAuth("bearer", settings, sessions)),
    api_key: answering("api_key", tokenAuth("api_key", settings, sessions)),
    session_token: answering("session_token", tokenAuth("session_token", settings, sessions)),
  };
}

/** Runs a credential check without going on to the route: undefined when the request carries the credential, else the 401. */
export async function refusal(check: MiddlewareHandler, c: Context): Promise<Response | undefined> {
  let passed = false;
  const answer = await check(c, async () => {
    passed = true;
  });
  return passed ? undefined : (answer ?? jsonError(401, "Missing credentials."));
}
