import { MemoryDatabase, MemoryStore } from "../../src/store/memory/memory-store";
import { storeContract } from "./contract";

storeContract("memory", async () => {
  const db = new MemoryDatabase();
  return {
    open: async (options) => MemoryStore.open(db, options),
    typeName: (type) => type,
    columnType: async (table, column) => db.tables.get(table)?.columns.get(column) ?? null,
    createForeignTable: async (table) => db.createForeignTable(table),
  };
});
