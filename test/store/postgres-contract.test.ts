// The shared store contract against the PostgreSQL store: a fresh database of the test server for each case,
// opened through openStore as the CLI opens it.
import { SQL } from "bun";
import { PG_TYPE } from "../../src/store/postgres/column-types";
import { openStore } from "../../src/store/open";
import { testPostgres } from "../helpers/postgres";
import { storeContract } from "./contract";

/** information_schema's names of the types PG_TYPE uses. */
const SHORT: Record<string, string> = { "timestamp with time zone": "timestamptz", "timestamp without time zone": "timestamp" };

storeContract("PostgreSQL", async () => {
  const url = await (await testPostgres()).createDatabase("contract");
  const admin = new SQL(url, { max: 1 });
  return {
    open: (options) => openStore(url, options),
    typeName: (type) => PG_TYPE[type],
    async columnType(table, column) {
      const [row] = await admin`SELECT data_type FROM information_schema.columns WHERE table_name = ${table} AND column_name = ${column}`;
      return row ? (SHORT[row.data_type] ?? row.data_type) : null;
    },
    async createForeignTable(table) {
      await admin.unsafe(`CREATE TABLE "${table}" (id text PRIMARY KEY)`);
    },
    async dispose() {
      await admin.close();
    },
  };
});
