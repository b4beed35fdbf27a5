import type { SyncConfig } from "../../config/schema";
import type { Logger } from "../log";
import type { Redactor } from "../../secrets";
import { createAuth } from "./auth";
import { HttpClient, type HttpDeps } from "./client";

/** One HTTP client for a sync (with its auth: a session login is shared), and how many retries it has made. */
export interface HttpSession {
  readonly client: HttpClient;
  readonly retries: () => number;
}

export function openSession(config: SyncConfig, deps: HttpDeps & { logger: Logger }, redactor: Redactor): HttpSession {
  let retries = 0;
  const client = new HttpClient(
    {
      maxAttempts: config.retry.max_attempts,
      maxElapsedMs: config.retry.max_elapsed_seconds * 1000,
      timeoutMs: config.retry.timeout_seconds * 1000,
      baseDelayMs: config.retry.base_delay_ms,
      maxDelayMs: config.retry.max_delay_ms,
    },
    deps,
    {
      headers: { Accept: "application/json", ...config.headers },
      auth: createAuth(config.auth, deps.fetch, redactor, config.retry.timeout_seconds * 1000),
      origin: new URL(config.base_url).origin,
      credentialOrigins: config.send_credentials_to_allowed_origins ? config.allow_origins : [],
      redirectOrigins: config.allow_origins,
      redact: redactor.redact,
      maxBodyBytes: config.limits.max_response_bytes,
      onRetry: (event) => {
        retries++;
        deps.logger.log("warn", `retrying in ${(event.delayMs / 1000).toFixed(1)} s: ${event.reason}`, { url: event.url, attempt: event.attempt });
      },
    },
  );
  return { client, retries: () => retries };
}
