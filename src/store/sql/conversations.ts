import type { ChannelName } from "../../core/types.js";
import type { ConversationStore } from "../store.js";
import { toTurn } from "../row-mapping.js";
import { changed, now, type SqlContext } from "./context.js";

/** Conversations (where to send later), turns (question and reply) with their feedback, and the web chat's outbox. */
export function conversationStore({ run }: SqlContext): ConversationStore {
  return {
    saveConversation: (c) =>
      run("saveConversation", async (db) => {
        await db.insertInto("conversations")
          .values({ channel: c.channel, conversation_id: c.conversationId, is_group: c.isGroup ? 1 : 0, reference: c.reference === undefined ? null : JSON.stringify(c.reference), title: c.title ?? null, updated_at: now() })
          .onConflict((oc) => oc.columns(["channel", "conversation_id"]).doUpdateSet((eb) => ({
            is_group: eb.ref("excluded.is_group"),
            reference: eb.fn.coalesce("excluded.reference", "conversations.reference"),
            title: eb.fn.coalesce("excluded.title", "conversations.title"),
            updated_at: eb.ref("excluded.updated_at"),
          })))
          .execute();
      }),

    getConversation: (channel, conversationId) =>
      run("getConversation", async (db) => {
        const r = await db.selectFrom("conversations").selectAll().where("channel", "=", channel).where("conversation_id", "=", conversationId).executeTakeFirst();
        if (!r) return undefined;
        return {
          channel: r.channel as ChannelName,
          conversationId: r.conversation_id,
          isGroup: r.is_group === true || Number(r.is_group) === 1,
          reference: r.reference ? JSON.parse(r.reference) : undefined,
          title: r.title ?? undefined,
        };
      }),

    addTurn: (t) =>
      run("addTurn", async (db) => {
        const r = await db.insertInto("turns")
          .values({
            channel: t.channel, conversation_id: t.conversationId, user_id: t.userId, question: t.question, action: t.action, answer: t.answer,
            confidence: t.confidence, reasons: JSON.stringify(t.reasons), source_ids: JSON.stringify(t.sourceIds), topics: JSON.stringify(t.topics), created_at: now(),
          })
          .returning("id").executeTakeFirstOrThrow();
        return Number(r.id);
      }),

    getTurn: (id) =>
      run("getTurn", async (db) => {
        const r = await db.selectFrom("turns").selectAll().where("id", "=", id).executeTakeFirst();
        return r ? toTurn(r) : undefined;
      }),

    recentTurns: (channel, conversationId, limit) =>
      run("recentTurns", async (db) => {
        const rows = await db.selectFrom("turns").selectAll().where("channel", "=", channel).where("conversation_id", "=", conversationId).orderBy("id", "desc").limit(limit).execute();
        return rows.map(toTurn).reverse();
      }),

    // Only the first press counts: a second tap on an old keyboard must not flip statistics.
    setFeedback: (turnId, value) =>
      run("setFeedback", async (db) => changed(await db.updateTable("turns").set({ feedback: value }).where("id", "=", turnId).where("feedback", "is", null).executeTakeFirst()) > 0),

    pushOutbox: (channel, conversationId, text) =>
      run("pushOutbox", async (db) => {
        await db.insertInto("outbox").values({ channel, conversation_id: conversationId, text, created_at: now() }).execute();
      }),

    // One statement: two instances polling at once each get a message once (the second re-checks delivered_at).
    pullOutbox: (channel, conversationId) =>
      run("pullOutbox", async (db) => {
        const rows = await db.updateTable("outbox").set({ delivered_at: now() })
          .where("channel", "=", channel).where("conversation_id", "=", conversationId).where("delivered_at", "is", null)
          .returning(["id", "text", "created_at"]).execute();
        return rows.map((r) => ({ id: Number(r.id), text: r.text, createdAt: r.created_at })).sort((a, b) => a.id - b.id);
      }),
  };
}
