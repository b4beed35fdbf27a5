// The fetch the HTTP client and the login both take, in a module of its own: auth.ts needs the type and
// client.ts needs auth.ts, so the type living in client.ts made the two import each other.
export type FetchLike = (input: Request) => Promise<Response>;
