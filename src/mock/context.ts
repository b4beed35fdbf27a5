import type { CredentialChecks } from "./credentials";
import type { Dataset } from "./data/dataset";
import type { Related } from "./data/related";
import type { Mutator } from "./mutations";
import type { Settings } from "./options";
import type { Sessions } from "./sessions";
import type { MockStats } from "./stats";

/** What the routes share: the resolved settings, the data and the live parts around it. */
export interface MockContext {
  settings: Settings;
  dataset: Dataset;
  /** Companies and orders, made on first use. */
  related: Related;
  mutator: Mutator;
  sessions: Sessions;
  /** hono's bearerAuth/basicAuth per kind of credential. */
  auth: CredentialChecks;
  stats: MockStats;
}
