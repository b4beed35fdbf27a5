import { toJsonSchema } from "@valibot/to-json-schema";
import type { GenericSchema } from "valibot";
import type { AuthKind, Settings } from "../options";
import type { ParamSpec } from "../query";
import { LoginSchema } from "../routes/auth";
import { MutationsSchema } from "../routes/oracle";
import { catalog, type Endpoint } from "./catalog";
import { BODY_SCHEMAS, CompanySchema, OrderSchema, UserSchema } from "./schemas";

type Json = Record<string, unknown>;

/** A valibot schema as an OpenAPI 3.1 (JSON Schema 2020-12) schema: without draft-07's $schema. */
function schemaOf(schema: GenericSchema): Json {
  const { $schema: _, ...rest } = toJsonSchema(schema, { errorMode: "ignore" }) as Json;
  return rest;
}

/** A query parameter's schema, from the same spec the route's parser checks it with. */
export function paramSchema(spec: ParamSpec): Json {
  switch (spec.kind) {
    case "int":
      return { type: "integer", minimum: spec.min, ...(spec.max < Number.MAX_SAFE_INTEGER ? { maximum: spec.max } : {}), default: spec.default };
    case "choice":
      return { type: "string", enum: [...spec.values], default: spec.default };
    case "timestamp":
      return {
        type: "string",
        format: "date-time",
        pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$",
        description: "inclusive lower bound on updatedAt, UTC",
      };
    case "text":
      return { type: "string" };
  }
}

const SECURITY: Record<AuthKind, { name: string; scheme: Json }> = {
  basic: { name: "basicAuth", scheme: { type: "http", scheme: "basic" } },
  bearer: { name: "bearerAuth", scheme: { type: "http", scheme: "bearer" } },
  api_key: { name: "apiKeyAuth", scheme: { type: "apiKey", in: "header", name: "Authorization", description: "Authorization: apiKey <token>" } },
  session_token: {
    name: "sessionToken",
    scheme: { type: "apiKey", in: "header", name: "Authorization", description: "Authorization: Token <token from POST /auth/session_token/login>" },
  },
};

const json = (schema: Json) => ({ "application/json": { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, content: json(ref("Error")) });

function okResponse(endpoint: Endpoint): Json {
  const page = endpoint.path.startsWith("/pagination/") ? endpoint.path.slice("/pagination/".length) : "offset";
  switch (endpoint.body) {
    case "page":
    case "keyset":
      return { description: "a page of users", content: json(ref(`${page}Page`)) };
    case "array":
      return {
        description: 'a page of users; Link has rel="next" (absent on the last page), "prev", "first", "last"',
        headers: { Link: { schema: { type: "string" } }, "X-Total-Count": { schema: { type: "integer", minimum: 0 } } },
        content: json(ref("link_headerPage")),
      };
    case "companies":
    case "orders":
    case "user_orders":
      return { description: `a page of ${endpoint.body.replace("_", " ")}`, content: json(ref(`${endpoint.body}Page`)) };
    case "login":
      return { description: "a session token", content: json(ref("Login")) };
    case "csv":
      return { description: "every user as CSV with a header line", content: { "text/csv": { schema: { type: "string" } } } };
    case "ndjson":
      return { description: "one row per line (a user, company or order), sorted by id", content: { "application/x-ndjson": { schema: { type: "string" } } } };
    case "html":
      return { description: "the mock's web page", content: { "text/html": { schema: { type: "string" } } } };
    default:
      return { description: "JSON", content: json({ type: "object" }) };
  }
}

function operation(endpoint: Endpoint): Json {
  const inPath = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string", format: "uuid" },
  }));
  const parameters = [...inPath, ...Object.entries(endpoint.params).map(([name, spec]) => ({ name, in: "query", required: false, schema: paramSchema(spec) }))];
  const responses: Json = { "200": okResponse(endpoint) };
  if (endpoint.method === "POST" || parameters.length > 0 || endpoint.body === "csv" || endpoint.body === "ndjson")
    responses["400"] = errorResponse("a bad parameter or body: names it and what is allowed");
  if (endpoint.auth || endpoint.body === "login") responses["401"] = errorResponse("missing or wrong credentials");
  if (inPath.length > 0) responses["404"] = errorResponse("no such user");
  if (endpoint.kind === "Pagination" || endpoint.kind === "Resources" || endpoint.kind === "Auth") {
    Object.assign(responses, {
      "429": errorResponse("throttled or rate limited (--throttle-rate, --rate-limit); see Retry-After"),
      "5XX": errorResponse("an injected fault (--fail-rate)"),
    });
  }
  const op: Json = {
    tags: [endpoint.kind],
    summary: endpoint.summary,
    operationId: `${endpoint.method.toLowerCase()}${endpoint.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? "").toUpperCase())}`,
    parameters,
    responses,
  };
  if (endpoint.auth) op.security = [{ [SECURITY[endpoint.auth].name]: [] }];
  if (endpoint.body === "login") op.requestBody = { required: true, content: json(schemaOf(LoginSchema)) };
  else if (endpoint.method === "POST") op.requestBody = { required: true, content: json(schemaOf(MutationsSchema)) };
  return op;
}

/** The OpenAPI 3.1 document of this mock: every endpoint, parameter, response, error and auth scheme. */
export function openApi(settings: Settings, serverUrl: string): Json {
  const paths: Record<string, Json> = {};
  for (const endpoint of catalog(settings)) (paths[endpoint.path] ??= {})[endpoint.method.toLowerCase()] = operation(endpoint);
  const schemas: Json = {
    User: schemaOf(UserSchema),
    Company: schemaOf(CompanySchema),
    Order: schemaOf(OrderSchema),
    Error: schemaOf(BODY_SCHEMAS.error),
    Login: schemaOf(BODY_SCHEMAS.login),
  };
  for (const style of ["offset", "page_number", "keyset", "next_page_url", "link_header", "companies", "orders", "user_orders"] as const)
    schemas[`${style}Page`] = schemaOf(BODY_SCHEMAS[style]);
  return {
    openapi: "3.1.0",
    info: {
      title: "connector mock API",
      version: "1.0.0",
      description: `Fake users (seed ${settings.seed}, ${settings.records} records at start) with their companies and orders; the pagination styles, auth schemes and faults real APIs have.`,
    },
    servers: [{ url: settings.publicUrl ?? serverUrl }],
    paths,
    components: { schemas, securitySchemes: Object.fromEntries(Object.values(SECURITY).map(({ name, scheme }) => [name, scheme])) },
  };
}
