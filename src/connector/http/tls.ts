// A TLS certificate the connector cannot trust is not a network blip: the same certificate comes back on every
// attempt. Found from outside: an internal API with a self-signed certificate was retried for five minutes. And the
// network errors that are retried, in words that say where to look.
import { codeOf } from "../../errors";

const UNTRUSTED =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE)$/;
const TRUST_IT =
  "if it is signed by your organisation's own certificate authority, point NODE_EXTRA_CA_CERTS at that authority's PEM file and run again (or use the API's public address)";

/** Why a request failed when the failure is the server's certificate (never worth retrying); null otherwise. */
export function certificateProblem(error: unknown, host: string): string | null {
  const code = codeOf(error);
  const said = error instanceof Error ? error.message.split(". For more information")[0] : code;
  if (UNTRUSTED.test(code)) return `the TLS certificate of ${host} is not trusted (${said}, ${code}): ${TRUST_IT}`;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID" || code === "HOSTNAME_MISMATCH")
    return `the TLS certificate of ${host} is for another host name (${code}): use the host name the certificate names in base_url`;
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID")
    return `the TLS certificate of ${host} is ${code === "CERT_HAS_EXPIRED" ? "expired" : "not valid yet"} (${code}): the server's certificate must be renewed, or this machine's clock is wrong`;
  if (code === "CERT_REVOKED") return `the TLS certificate of ${host} has been revoked (${code})`;
  return null;
}

const NETWORK: Record<string, (host: string) => string> = {
  ECONNREFUSED: (host) => `connection refused by ${host}: nothing is listening there (is the API up, and is base_url's port right?)`,
  ECONNRESET: (host) => `${host} closed the connection before answering`,
  EPROTO: (host) => `the TLS handshake with ${host} failed: does it speak https on this port?`,
};

/** A network failure worth retrying, as the retry warnings and the final error say it. */
export function networkReason(error: unknown, host: string, described: string): string {
  const code = codeOf(error);
  const said = NETWORK[code];
  return `network error: ${said ? said(host) : described}`;
}
