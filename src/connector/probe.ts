// `connector probe`, the analysis: one response in, a report and a ready-to-edit configuration out. No I/O here.
import * as v from "valibot";
import { ConfigSchema, IDENTIFIER, ResponseSchema, type ColumnType } from "../config/schema";
import { formatIssues } from "../config/load";
import { AppError, SyncError } from "../errors";
import type { Row } from "../store/types";
import { cursorCandidates, inferFields, primaryKeyCandidates, type FieldInfo } from "./infer-types";
import { getPath, type ResponseShape } from "./page";
import { detectStyle } from "./paginators/detect";
import { strategyList } from "./paginators/registry";
import type { PaginatedStrategy } from "./paginators/types";
import { checkStrategyNames, type GivenNames, namesFor } from "../config/strategy-config";
import { placeholderHeaders, shownUrl, splitQuery } from "./probe-config";
import type { Discovery } from "./probe-discover";

export interface ProbeInput {
  /** The URL as requested (secrets included: it is only shown redacted). */
  url: URL;
  status: number;
  headers: Headers;
  body: unknown;
  /** The headers sent with the request (values never shown or written). */
  requestHeaders: Record<string, string>;
}

export interface ProbeReport {
  url: string;
  status: number;
  /** null: the style could not be told from this response. */
  strategy: PaginatedStrategy | null;
  reason: string;
  /** Dotted path of the records; "" when the body itself is the array. */
  records: string;
  count: number;
  total: { value: number; from: string } | null;
  /** Names only: values are never shown. */
  headers: string[];
  fields: FieldInfo[];
  primaryKeys: string[];
  cursors: string[];
  /** The response speaks fivetran-api-playground (and so filters by updated_since). */
  playground: boolean;
  hints: string[];
  /** Environment variables the configuration refers to. */
  variables: string[];
  configuration: Record<string, unknown>;
}

const DEFAULT_SHAPE: ResponseShape = v.parse(ResponseSchema, {});
const PLAYGROUND_PAGE_SIZE = 50;
const usable = (name: string) => IDENTIFIER.test(name) && !name.startsWith("_connector") && !name.toLowerCase().startsWith("sqlite_");
const columnName = (name: string) => name !== "" && name.length <= 63 && !name.startsWith("_connector") && name !== "_synced_at" && name !== "_deleted";

function reportedTotal(body: unknown, headers: Headers, response: Partial<ResponseShape>): ProbeReport["total"] {
  const path = response.total ?? DEFAULT_SHAPE.total;
  const value = getPath(body, path);
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return { value, from: `body '${path}'` };
  const header = response.total_header ? headers.get(response.total_header)?.trim() : undefined;
  return header && /^\d+$/.test(header) ? { value: Number(header), from: `header ${response.total_header}` } : null;
}

/** Analyzes the first page and builds the configuration. Throws SyncError when the response holds no records. */
export function analyzeProbe(input: ProbeInput): ProbeReport {
  const where = shownUrl(input.url);
  const detected = detectStyle(input.body, input.headers, input.url.href, DEFAULT_SHAPE);
  if (!detected.ok && detected.records === null) throw new SyncError("probe", `${where}: ${detected.problem}`);
  const records = (detected.ok ? (detected.detection.response.records ?? DEFAULT_SHAPE.records) : detected.records) ?? "";
  const response = detected.ok ? detected.detection.response : detected.response;
  const tokenParam = detected.ok ? detected.detection.tokenParam : undefined;
  const rows = getPath(input.body, records) as Row[];
  const fields = inferFields(rows);
  const strategy = detected.ok ? detected.detection.strategy : null;
  const cursors = cursorCandidates(fields).filter(usable);
  const playground =
    strategy !== null &&
    strategy !== "link_header" &&
    records === DEFAULT_SHAPE.records &&
    tokenParam === undefined &&
    response.next_token === undefined &&
    response.next_url === undefined &&
    response.total_pages === undefined &&
    cursors[0] === "updatedAt";

  const variables: string[] = [];
  const query = splitQuery(input.url, variables, tokenParam);
  const headers = placeholderHeaders(input.requestHeaders, variables);
  const primaryKeys = primaryKeyCandidates(rows, fields).filter(usable);
  const pageSize = query.pageSize ?? (playground ? PLAYGROUND_PAGE_SIZE : Math.min(Math.max(rows.length, 1), 10_000));
  const { order_by: _, order_type: __, ...otherParams } = query.params;
  const configuration: Record<string, unknown> = {
    base_url: query.baseUrl,
    strategy: strategy ?? "auto",
    page_size: pageSize,
    primary_key: [primaryKeys[0] ?? "id"],
    cursor_field: cursors[0] ?? "updatedAt",
    params: playground ? { ...otherParams, order_by: "updatedAt", order_type: "asc" } : query.params,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    // Only the names the detected strategy reads: any other would be refused (config/strategy-config.ts).
    request: namesFor(strategy ?? "auto", "request", {
      ...query.request,
      ...(tokenParam ? { token_param: tokenParam } : {}),
      since_param: playground ? "updated_since" : null,
    }),
    ...(Object.keys(response).length > 0 ? { response: namesFor(strategy ?? "auto", "response", response) } : {}),
    columns: Object.fromEntries(fields.filter((f) => columnName(f.name)).map((f): [string, ColumnType] => [f.name, f.type])),
  };
  const checked = v.safeParse(ConfigSchema, configuration);
  if (!checked.success) throw new AppError("probe_config", `probe built a configuration that does not validate (a bug): ${formatIssues(checked.issues)}`);
  checkStrategyNames(checked.output.strategy, configuration as GivenNames);

  const report: ProbeReport = {
    url: where,
    status: input.status,
    strategy,
    reason: detected.ok ? detected.detection.reason : detected.problem,
    records,
    count: rows.length,
    total: reportedTotal(input.body, input.headers, response),
    headers: Object.keys(input.requestHeaders),
    fields,
    primaryKeys,
    cursors,
    playground,
    hints: [],
    variables,
    configuration,
  };
  report.hints = hintsFor(report, query.pageSize !== undefined);
  return report;
}

function hintsFor(report: ProbeReport, sizeGiven: boolean): string[] {
  const hints: string[] = [];
  const { strategy, configuration: config } = report;
  if (strategy === null) hints.push(`auto could not tell the style: set strategy (${strategyList()}) and the request names`);
  if (report.count === 0) hints.push("the first page has no records: probe a URL that returns some to see their fields");
  else {
    if (report.primaryKeys.length === 0) hints.push("no field looks like a unique key on this page: set primary_key");
    if (report.cursors.length === 0) hints.push("no timestamp is present in every record: set cursor_field (a number that grows with every change also works)");
  }
  if (report.playground)
    hints.push(
      "the API speaks fivetran-api-playground: request.since_param is updated_since, so later syncs read only what changed (set it to null if the API has no such filter)",
    );
  else if (report.cursors.length > 0)
    hints.push(`set request.since_param if the API filters by the cursor (${config.cursor_field} at or after a value): otherwise every sync reads everything`);
  if (!sizeGiven && !report.playground && strategy !== "keyset" && report.count > 0)
    hints.push(
      `page_size ${config.page_size} is what the server sent by default; raise it if the API allows (request.limit_param / per_page_param name the parameter)`,
    );
  if (report.variables.length > 0)
    hints.push(`set ${report.variables.join(", ")} in the environment before a sync: the file holds \${VAR} placeholders, never the values`);
  if (report.fields.length > 0) hints.push(`columns are typed from the ${report.count} records of the first page: check them against the API's documentation`);
  return hints;
}

/**
 * The report with what the probe found by asking (probe-discover.ts): the sort params and the since filter go into
 * the configuration, and the hint says how they were found, or what was tried.
 */
export function withDiscovery(report: ProbeReport, found: Discovery): ProbeReport {
  const config = report.configuration;
  const field = String(config.cursor_field);
  const hints = report.hints.filter((hint) => !hint.startsWith("set request.since_param"));
  if (found.since !== null && found.sort !== null) {
    const sort = Object.entries(found.sort)
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    const configuration = {
      ...config,
      params: { ...(config.params as Record<string, string>), ...found.sort },
      request: { ...(config.request as Record<string, unknown>), since_param: found.since },
    };
    const how = `found by trying them (${found.requests} requests): request.since_param '${found.since}' filters ${field} at or after a value${sort ? `, and ${sort} sorts by it` : ", and the list comes sorted by it"}; later syncs read only what changed`;
    return { ...report, configuration, hints: [how, ...hints] };
  }
  const tried = `no sort and filter by ${field} found among the common names (${found.requests} requests): set params and request.since_param from the API's documentation, or every sync reads everything`;
  return { ...report, hints: found.requests > 0 ? [tried, ...hints] : report.hints };
}
