import { join } from "node:path";
import type { Logger } from "pino";
import type { Store } from "./store.js";
import { postgresStore, sqliteStore } from "./sql-store.js";

/**
 * Opens the configured back-end and runs its migrations: PostgreSQL when a database URL is set (several
 * instances share it), otherwise SQLite in DATA_DIR (one instance).
 */
export async function openStore(opts: { dataDir: string; databaseUrl?: string; poolSize?: number; log?: Logger }): Promise<Store> {
  const store: Store = opts.databaseUrl
    ? postgresStore(opts.databaseUrl, { poolSize: opts.poolSize ?? 10, log: opts.log })
    : sqliteStore(join(opts.dataDir, "ortslotse.sqlite"));
  try {
    await store.migrate();
  } catch (err) {
    // Do not leave a pool or file handle open behind a failed start.
    await store.close().catch((closeErr: unknown) => opts.log?.warn({ err: closeErr }, "closing the store after a failed migration failed"));
    throw err;
  }
  return store;
}
