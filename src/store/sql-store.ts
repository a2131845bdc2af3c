import type { Store } from "./store.js";
import { postgresBackend, sqliteBackend, type Backend, type PostgresOptions } from "./backend.js";
import { sqlContext } from "./sql/context.js";
import { conversationStore } from "./sql/conversations.js";
import { ticketStore } from "./sql/tickets.js";
import { staffStore } from "./sql/staff.js";
import { sessionStore } from "./sql/sessions.js";
import { inboxStore } from "./sql/inbox.js";
import { digestStore } from "./sql/digest.js";
import { stateStore } from "./sql/state.js";
import { accessStore } from "./sql/access.js";
import { statsStore } from "./sql/stats.js";
import { privacyStore } from "./sql/privacy.js";

/** The Store on either database: every query written once (Kysely), each aggregate in its own module. */
export function sqlStore(backend: Backend): Store {
  const ctx = sqlContext(backend.db, backend.dialect, backend.label, () => backend.closed);
  return {
    migrate: () => backend.migrate(),
    close: () => backend.close(),
    rateLimiter: (name, points, durationSec) => backend.rateLimiter(name, points, durationSec),
    ...conversationStore(ctx),
    ...ticketStore(ctx),
    ...staffStore(ctx),
    ...sessionStore(ctx),
    ...inboxStore(ctx),
    ...digestStore(ctx),
    ...stateStore(ctx),
    ...accessStore(ctx),
    ...statsStore(ctx),
    ...privacyStore(ctx),
  };
}

/** SQLite in one file (":memory:" for a throw-away store). Call migrate() before use. */
export const sqliteStore = (file: string): Store => sqlStore(sqliteBackend(file));

/** PostgreSQL, shared by several instances. Call migrate() before use. */
export const postgresStore = (connectionString: string, opts?: PostgresOptions): Store => sqlStore(postgresBackend(connectionString, opts));
