import { join } from "node:path";
import type { Store } from "./store.js";
import { SqliteStore } from "./sqlite-store.js";

/** Opens the configured back-end and runs its migrations. */
export async function openStore(opts: { dataDir: string; databaseUrl?: string }): Promise<Store> {
  const store: Store = new SqliteStore(join(opts.dataDir, "ortslotse.sqlite"));
  await store.migrate();
  return store;
}
