import { sql } from "kysely";
import type { StateStore } from "../store.js";
import { changed, untilApplied, type SqlContext } from "./context.js";

/** Small named values (sessions, inboxes, published knowledge) shared by every instance. */
export function stateStore({ run }: SqlContext): StateStore {
  return {
    getState: (key) => run("getState", async (db) => (await db.selectFrom("state").select("value").where("key", "=", key).executeTakeFirst())?.value),

    setState: (key, value) =>
      run("setState", async (db) => {
        await db.insertInto("state").values({ key, value }).onConflict((oc) => oc.column("key").doUpdateSet((eb) => ({ value: eb.ref("excluded.value") }))).execute();
      }),

    deleteState: (key) =>
      run("deleteState", async (db) => {
        await db.deleteFrom("state").where("key", "=", key).execute();
      }),

    // Compare-and-set: written only if the entry is still what `change` saw, else read again and retried.
    updateState: (key, change) =>
      run("updateState", (db) =>
        untilApplied(async () => {
          const current = (await db.selectFrom("state").select("value").where("key", "=", key).executeTakeFirst())?.value;
          const next = change(current);
          if (next === current) return { done: true, value: next };
          const res =
            current === undefined
              ? await db.insertInto("state").values({ key, value: next! }).onConflict((oc) => oc.column("key").doNothing()).executeTakeFirst()
              : next === undefined
                ? await db.deleteFrom("state").where("key", "=", key).where("value", "=", current).executeTakeFirst()
                : await db.updateTable("state").set({ value: next }).where("key", "=", key).where("value", "=", current).executeTakeFirst();
          return changed(res) > 0 ? { done: true, value: next } : { done: false };
        })),

    listState: (prefix) =>
      run("listState", (db) =>
        db.selectFrom("state").select(["key", "value"]).where(sql<string>`substr(key, 1, ${prefix.length})`, "=", prefix).orderBy("key").execute()),
  };
}
