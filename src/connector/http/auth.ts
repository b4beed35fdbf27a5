import type { AuthConfig } from "../../config/schema";
import { SyncError, describe } from "../../errors";
import { getPath } from "../page";
import type { Redactor } from "../../secrets";
import { LOGIN_BODY_BYTES, readCapped } from "./body";
import type { FetchLike } from "./fetch-like";

/** Adds credentials to requests for the API's own origin; may log in again once after a 401. */
export interface Auth {
  /** Synchronous when the credential is at hand, so a pipelined request goes on the wire at once. */
  apply(url: URL, headers: Headers): void | Promise<void>;
  /** After a 401: refresh the credential. True if retrying the request makes sense. */
  refresh(): Promise<boolean>;
}

export const noAuth: Auth = { apply: () => {}, refresh: async () => false };

export function createAuth(config: AuthConfig | null, fetch: FetchLike, redactor: Redactor, timeoutMs: number): Auth {
  if (!config) return noAuth;
  switch (config.type) {
    case "bearer":
      return staticAuth((_, h) => h.set("Authorization", `Bearer ${config.token}`));
    case "basic":
      return staticAuth((_, h) => h.set("Authorization", `Basic ${btoa(`${config.username}:${config.password}`)}`));
    case "api_key": {
      const queryParam = config.query_param;
      if (queryParam) return staticAuth((url) => url.searchParams.set(queryParam, config.key));
      return staticAuth((_, h) => h.set(config.header, config.prefix ? `${config.prefix} ${config.key}` : config.key));
    }
    case "session_token":
      return sessionAuth(config, fetch, redactor, timeoutMs);
    default: {
      const unknown: never = config;
      throw new Error(`unknown auth ${JSON.stringify(unknown)}`);
    }
  }
}

function staticAuth(add: (url: URL, headers: Headers) => void): Auth {
  return { apply: add, refresh: async () => false };
}

type SessionConfig = Extract<AuthConfig, { type: "session_token" }>;

/** Logs in lazily, reuses the token, and logs in again (once per failing request) when the API answers 401. */
function sessionAuth(config: SessionConfig, fetch: FetchLike, redactor: Redactor, timeoutMs: number): Auth {
  const redact = redactor.redact;
  let token: Promise<string> | null = null;
  /** The token once the login has answered: later requests then set it without waiting. */
  let current: string | null = null;
  const set = (headers: Headers, value: string) => headers.set(config.header, config.prefix ? `${config.prefix} ${value}` : value);
  const login = async (): Promise<string> => {
    let response: Response;
    try {
      response = await fetch(
        new Request(config.login_url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ username: config.username, password: config.password }),
          redirect: "manual",
          signal: AbortSignal.timeout(timeoutMs),
        }),
      );
    } catch (error) {
      throw new SyncError("login", `login at ${redact(config.login_url)} failed: ${redact(describe(error))}`);
    }
    const failed = response.status < 200 || response.status >= 300;
    const read = await readCapped(response, failed ? 0 : LOGIN_BODY_BYTES).catch(() => ({ text: "", complete: true }));
    if (failed) throw new SyncError("login", `login at ${redact(config.login_url)} failed: HTTP ${response.status}; check auth.username and auth.password`);
    if (!read.complete)
      throw new SyncError(
        "login",
        `login at ${redact(config.login_url)} answered more than ${LOGIN_BODY_BYTES} bytes; that is not a login answer (check auth.login_url)`,
      );
    const text = read.text;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new SyncError("login", `login at ${redact(config.login_url)} answered something that is not JSON`);
    }
    const value = getPath(body, config.token_field);
    if (typeof value !== "string" || value === "")
      throw new SyncError("login", `login at ${redact(config.login_url)} answered no '${config.token_field}' (set auth.token_field)`);
    redactor.add(value);
    return value;
  };
  return {
    apply(_, headers) {
      if (current !== null) return set(headers, current);
      token ??= login();
      return token.then(
        (value) => {
          current = value;
          set(headers, value);
        },
        (error) => {
          token = null;
          throw error;
        },
      );
    },
    async refresh() {
      current = null;
      token = login();
      current = await token;
      return true;
    },
  };
}
