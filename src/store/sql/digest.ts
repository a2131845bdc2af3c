import type { ChannelName } from "../../core/types.js";
import type { DigestStore } from "../store.js";
import { changed, now, type SqlContext } from "./context.js";

/** A digest chat claimed this long ago and still 'sending' belongs to a run that died mid-send. */
const DIGEST_STALE_MS = 10 * 60_000;

/** Digest subscriptions, per-chat delivery claims, and job runs that must happen once across instances. */
export function digestStore({ run }: SqlContext): DigestStore {
  return {
    subscribe: (s) =>
      run("subscribe", async (db) =>
        changed(await db.insertInto("subscriptions").values({ channel: s.channel, conversation_id: s.conversationId, created_by: s.createdBy ?? null, created_at: now() })
          .onConflict((oc) => oc.doNothing()).executeTakeFirst()) > 0),

    unsubscribe: (channel, conversationId) =>
      run("unsubscribe", async (db) => changed(await db.deleteFrom("subscriptions").where("channel", "=", channel).where("conversation_id", "=", conversationId).executeTakeFirst()) > 0),

    listSubscriptions: () =>
      run("listSubscriptions", async (db) => {
        const rows = await db.selectFrom("subscriptions").selectAll().orderBy("created_at").execute();
        return rows.map((r) => ({ channel: r.channel as ChannelName, conversationId: r.conversation_id, createdBy: r.created_by ?? undefined, createdAt: r.created_at }));
      }),

    isSubscribed: (channel, conversationId) =>
      run("isSubscribed", async (db) => Boolean(await db.selectFrom("subscriptions").select("channel").where("channel", "=", channel).where("conversation_id", "=", conversationId).executeTakeFirst())),

    // One statement, so concurrent callers (other instances) serialise on the row: the loser re-checks the
    // WHERE against the winner's fresh 'sending' row and changes nothing. A chat is claimable when it has
    // no row, failed before, or is 'sending' for longer than 10 minutes (that run died mid-send); 'sent' never.
    claimDigestDelivery: (digestKey, channel, conversationId) =>
      run("claimDigestDelivery", async (db) => {
        const at = now();
        const staleBefore = new Date(Date.parse(at) - DIGEST_STALE_MS).toISOString();
        const res = await db.insertInto("digest_deliveries").values({ digest_key: digestKey, channel, conversation_id: conversationId, status: "sending", updated_at: at })
          .onConflict((oc) => oc.columns(["digest_key", "channel", "conversation_id"])
            .doUpdateSet((eb) => ({ status: "sending", updated_at: eb.ref("excluded.updated_at") }))
            .where((eb) => eb.or([
              eb("digest_deliveries.status", "not in", ["sent", "sending"]),
              eb.and([eb("digest_deliveries.status", "=", "sending"), eb("digest_deliveries.updated_at", "<", staleBefore)]),
            ])))
          .executeTakeFirst();
        return changed(res) > 0;
      }),

    markDigestDelivered: (digestKey, channel, conversationId, ok, error) =>
      run("markDigestDelivered", async (db) => {
        await db.updateTable("digest_deliveries").set({ status: ok ? "sent" : "failed", error: error ?? null, updated_at: now() })
          .where("digest_key", "=", digestKey).where("channel", "=", channel).where("conversation_id", "=", conversationId).execute();
      }),

    digestDeliveries: (digestKey) =>
      run("digestDeliveries", async (db) => {
        const rows = await db.selectFrom("digest_deliveries").select(["channel", "conversation_id", "status"]).where("digest_key", "=", digestKey).execute();
        return rows.map((r) => ({ channel: r.channel as ChannelName, conversationId: r.conversation_id, status: r.status }));
      }),

    claimJobRun: (job, period) =>
      run("claimJobRun", async (db) => changed(await db.insertInto("job_runs").values({ job, period, started_at: now() }).onConflict((oc) => oc.doNothing()).executeTakeFirst()) > 0),
  };
}
