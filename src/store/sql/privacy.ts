import { sql } from "kysely";
import { TURN_REFERENCE_PREFIX, type PrivacyStore } from "../store.js";
import { toTicket, toTurn } from "../row-mapping.js";
import { changed, now, type SqlContext } from "./context.js";

/** A person's data (export, deletion) and the retention rules. */
export function privacyStore({ run, dialect }: SqlContext): PrivacyStore {
  return {
    exportUserData: (channel, userId) =>
      run("exportUserData", async (db) => {
        const turns = await db.selectFrom("turns").selectAll().where("channel", "=", channel).where("user_id", "=", userId).orderBy("id").execute();
        const tickets = await db.selectFrom("tickets").selectAll().where("channel", "=", channel).where("user_id", "=", userId).orderBy("id").execute();
        return { turns: turns.map(toTurn), tickets: tickets.map(toTicket) };
      }),

    deleteUserData: (channel, userId) =>
      run("deleteUserData", (db) =>
        db.transaction().execute(async (trx) => {
          const a = changed(await trx.deleteFrom("turns").where("channel", "=", channel).where("user_id", "=", userId).executeTakeFirst());
          const b = changed(await trx.deleteFrom("tickets").where("channel", "=", channel).where("user_id", "=", userId).executeTakeFirst());
          // The person's private chat (its id equals the user id in Telegram and the web chat): address, outbox, digest.
          for (const t of ["conversations", "outbox", "subscriptions"] as const) {
            await trx.deleteFrom(t).where("channel", "=", channel).where("conversation_id", "=", userId).execute();
          }
          return a + b;
        })),

    purgeOlderThan: (iso) =>
      run("purgeOlderThan", (db) =>
        db.transaction().execute(async (trx) => {
          const counts = [
            await trx.deleteFrom("turns").where("created_at", "<", iso).executeTakeFirst(),
            await trx.deleteFrom("tickets").where("status", "=", "closed").where("updated_at", "<", iso).executeTakeFirst(),
            // Staff answers never fetched by a web chat (the person did not come back).
            await trx.deleteFrom("outbox").where("created_at", "<", iso).executeTakeFirst(),
            await trx.deleteFrom("digest_deliveries").where("updated_at", "<", iso).executeTakeFirst(),
            // A chat's address (names, ids) stays only while it is subscribed to the digest or recently used.
            await trx.deleteFrom("conversations").where("updated_at", "<", iso)
              .where(({ not, exists, selectFrom }) => not(exists(selectFrom("subscriptions as s").select("s.channel")
                .whereRef("s.channel", "=", "conversations.channel").whereRef("s.conversation_id", "=", "conversations.conversation_id"))))
              .executeTakeFirst(),
            // Access through an invite ends when the person has not asked anything within the retention period.
            await trx.deleteFrom("members").where("created_at", "<", iso)
              .where(({ not, exists, selectFrom }) => not(exists(selectFrom("turns as t").select("t.id")
                .whereRef("t.channel", "=", "members.channel").whereRef("t.user_id", "=", "members.user_id").where("t.created_at", ">=", iso))))
              .executeTakeFirst(),
            // Old job periods and seen-update markers are bookkeeping, not personal data; drop them too.
            await trx.deleteFrom("job_runs").where("started_at", "<", iso).executeTakeFirst(),
            await trx.deleteFrom("inbox").where("done", "=", 1).where("received_at", "<", iso).executeTakeFirst(),
            await trx.deleteFrom("staff_sessions").where("expires_at", "<", now()).executeTakeFirst(),
            await trx.deleteFrom("state").where("key", "like", `${TURN_REFERENCE_PREFIX}%`)
              .where(({ not, exists, selectFrom }) => not(exists(selectFrom("turns").select("turns.id").where(sql<boolean>`CAST(turns.id AS TEXT) = state.value`))))
              .executeTakeFirst(),
          ];
          return counts.reduce((n, r) => n + changed(r), 0);
        }).then(async (n) => {
          // PostgreSQL keeps deleted rows in its files until VACUUM reclaims them (SQLite: secure_delete overwrites at once).
          if (n > 0 && dialect === "postgres") await sql`VACUUM turns, tickets, outbox, conversations, members, digest_deliveries, inbox`.execute(db);
          return n;
        })),

    closedTicketsBefore: (iso) =>
      run("closedTicketsBefore", async (db) =>
        (await db.selectFrom("tickets").select(["id", "staff_post_ref"]).where("status", "=", "closed").where("updated_at", "<", iso).orderBy("id").execute())
          .map((r) => ({ id: Number(r.id), ...(r.staff_post_ref ? { staffPostRef: r.staff_post_ref } : {}) }))),

    // Closed, and everything that identifies the person or their question emptied.
    expireStaleTickets: (iso) =>
      run("expireStaleTickets", (db) =>
        db.transaction().execute(async (trx) => {
          const ids = (await trx.selectFrom("tickets").select("id").where("status", "<>", "closed").where("updated_at", "<", iso).execute()).map((r) => Number(r.id));
          if (!ids.length) return [];
          await trx.updateTable("tickets").set({
            status: "closed", user_id: "", conversation_id: "", user_name: null, village: null,
            question: "[nach Ablauf der Aufbewahrungsfrist gelöscht]", context: "[]", passages: "[]", draft_answer: null,
            answer: null, messages: "[]", updated_at: now(),
          }).where("id", "in", ids).execute();
          const rows = await trx.selectFrom("tickets").selectAll().where("id", "in", ids).orderBy("id").execute();
          return rows.map(toTicket);
        })),
  };
}
