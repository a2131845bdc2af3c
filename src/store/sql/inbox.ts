import { sql } from "kysely";
import type { InboxStore } from "../store.js";
import { changed, now, type SqlContext } from "./context.js";

/** Incoming updates: seen markers and, until finished, the update itself. */
export function inboxStore({ run }: SqlContext): InboxStore {
  return {
    keepUpdate: (channel, key, payload) =>
      run("keepUpdate", async (db) => {
        await db.insertInto("inbox").values({ channel, update_key: key, payload, claimed: 0, done: 0, received_at: now() }).onConflict((oc) => oc.doNothing()).execute();
      }),

    // One statement: a new row, or a kept-but-unclaimed one, becomes claimed; a claimed one stays the other caller's.
    claimUpdate: (channel, key, payload) =>
      run("claimUpdate", async (db) =>
        changed(await db.insertInto("inbox").values({ channel, update_key: key, payload, claimed: 1, done: 0, received_at: now() })
          .onConflict((oc) => oc.columns(["channel", "update_key"]).doUpdateSet({ claimed: 1 }).where("inbox.claimed", "=", 0).where("inbox.done", "=", 0))
          .executeTakeFirst()) > 0),

    beginUpdate: (channel, key, payload) =>
      run("beginUpdate", async (db) => {
        const inserted = changed(await db.insertInto("inbox").values({ channel, update_key: key, payload, claimed: 1, done: 0, received_at: now() })
          .onConflict((oc) => oc.doNothing()).executeTakeFirst());
        if (inserted) return "new";
        const r = await db.selectFrom("inbox").select("done").where("channel", "=", channel).where("update_key", "=", key).executeTakeFirst();
        return r && (r.done === true || Number(r.done) === 1) ? "done" : "unfinished";
      }),

    finishUpdate: (channel, key) =>
      run("finishUpdate", async (db) => {
        await db.updateTable("inbox").set({ done: 1, payload: null }).where("channel", "=", channel).where("update_key", "=", key).execute();
      }),

    unfinishedUpdates: (channel) =>
      run("unfinishedUpdates", async (db) => {
        const rows = await db.selectFrom("inbox").select(["update_key", "payload"]).where("channel", "=", channel).where("done", "=", 0)
          .where("payload", "is not", null)
          // Telegram's ids are numbers: by length first, so 99 comes before 100.
          .orderBy("received_at").orderBy(sql`length(update_key)`).orderBy("update_key").execute();
        return rows.map((r) => ({ key: r.update_key, payload: r.payload! }));
      }),
  };
}
