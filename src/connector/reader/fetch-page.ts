import { HttpError } from "../../errors";
import type { HttpClient, JsonResponse } from "../http/client";
import type { Logger } from "../log";
import type { Paginator } from "../paginators/types";

/**
 * GETs one page. A request the API refuses over a parameter the strategy can do without (keyset's size on the
 * playground) is asked again without it, once, with a warning: the run pages exactly instead of failing on page 2.
 */
export async function fetchPage(client: HttpClient, url: string, paginator: Paginator | null, logger: Logger): Promise<JsonResponse> {
  try {
    return await client.getJson(url);
  } catch (error) {
    const instead = error instanceof HttpError ? paginator?.refused?.(url, error) : null;
    if (!instead) throw error;
    logger.log("warn", instead.warning);
    const response = await client.getJson(instead.url);
    return { ...response, attempts: response.attempts + 1 };
  }
}
