import type { Db, Dialect } from "../schema.js";
import { StoreError } from "../store-error.js";

/** What every aggregate's queries need: the query builder, and one way to report a failed operation. */
export interface SqlContext {
  db: Db;
  dialect: Dialect;
  /** Runs one operation; any driver error becomes a StoreError naming the database and the operation. */
  run<T>(what: string, fn: (db: Db) => Promise<T>): Promise<T>;
}

export function sqlContext(db: Db, dialect: Dialect, label: string, isClosed: () => boolean): SqlContext {
  return {
    db,
    dialect,
    async run(what, fn) {
      try {
        // Kysely would quietly reopen a closed SQLite handle's driver; a closed store must say so.
        if (isClosed()) throw new Error("the store is closed");
        return await fn(db);
      } catch (err) {
        throw err instanceof StoreError ? err : new StoreError(`${label} ${what} failed`, { cause: err });
      }
    },
  };
}

export const now = () => new Date().toISOString();

/** Rows changed by an insert/update/delete (bigint from Kysely) as a number. */
export const changed = (r: { numInsertedOrUpdatedRows?: bigint; numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined) =>
  Number(r?.numInsertedOrUpdatedRows ?? r?.numUpdatedRows ?? r?.numDeletedRows ?? 0);

/**
 * Compare-and-set for a read-modify-write: `attempt` reads, computes and writes only if the row is still
 * as it was read (returns false otherwise), and is simply tried again. No transaction spans an await, so
 * two instances (or two handles on one SQLite file) never wait on each other's locks.
 */
export async function untilApplied<T>(attempt: () => Promise<{ done: true; value: T } | { done: false }>): Promise<T> {
  for (let i = 0; ; i++) {
    const r = await attempt();
    if (r.done) return r.value;
    if (i >= 200) throw new StoreError("the same entry changed too often at once; giving up after 200 tries");
    await new Promise((res) => setTimeout(res, Math.random() * Math.min(50, 2 + i)));
  }
}
