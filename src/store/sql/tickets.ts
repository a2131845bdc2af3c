import type { TicketMessage, TicketStatus, TicketStore } from "../store.js";
import { toTicket } from "../row-mapping.js";
import { changed, now, untilApplied, type SqlContext } from "./context.js";
import type { Db } from "../schema.js";
import { sql } from "kysely";

const ACTIVE: TicketStatus[] = ["open", "claimed"];
/** Vorgänge the database hands the search to check word by word (newest first). */
const SEARCH_SCAN = 1000;

/** "Müller" and "Mueller", "Straße" and "Strasse" compare equal in the staff search. */
const foldUmlauts = (s: string) => s.toLowerCase().replace(/ä/gu, "ae").replace(/ö/gu, "oe").replace(/ü/gu, "ue").replace(/ß/gu, "ss");
const withUmlauts = (s: string) => s.replace(/ae/gu, "ä").replace(/oe/gu, "ö").replace(/ue/gu, "ü").replace(/ss/gu, "ß");

/** Tickets (Vorgänge): the hand-over queue, its messages, staff claims and answers, reminders. */
export function ticketStore({ run }: SqlContext): TicketStore {
  const get = async (db: Db, id: number) => {
    const r = await db.selectFrom("tickets").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? toTicket(r) : undefined;
  };
  /** Appends a message (and sets more columns) only if nobody appended in between; retried otherwise. */
  const append = (db: Db, id: number, message: TicketMessage, more: { status?: string; staff_member?: string; answer?: string; answered_at?: string } = {}) =>
    untilApplied(async () => {
      const r = await db.selectFrom("tickets").select("messages").where("id", "=", id).executeTakeFirst();
      if (!r) return { done: true, value: undefined };
      const messages = JSON.stringify([...(JSON.parse(r.messages) as TicketMessage[]), message]);
      const res = await db.updateTable("tickets").set({ ...more, messages, updated_at: message.at }).where("id", "=", id).where("messages", "=", r.messages).executeTakeFirst();
      return changed(res) > 0 ? { done: true, value: undefined } : { done: false };
    });

  return {
    createTicket: (t) =>
      run("createTicket", async (db) => {
        const at = now();
        const messages: TicketMessage[] = [{ at, from: "mayor", author: t.userName, text: t.question }];
        const r = await db.insertInto("tickets")
          .values({
            channel: t.channel, conversation_id: t.conversationId, user_id: t.userId, user_name: t.userName ?? null, village: t.village ?? null,
            question: t.question, context: JSON.stringify(t.context), passages: JSON.stringify(t.passages), draft_answer: t.draftAnswer ?? null,
            reason: t.reason, topics: JSON.stringify(t.topics), status: "open", messages: JSON.stringify(messages), created_at: at, updated_at: at,
            request_id: t.requestId ?? null,
          })
          .returningAll().executeTakeFirstOrThrow();
        return toTicket(r);
      }),

    getTicket: (id) => run("getTicket", (db) => get(db, id)),

    findOpenTicket: (channel, conversationId, userId) =>
      run("findOpenTicket", async (db) => {
        let q = db.selectFrom("tickets").selectAll().where("channel", "=", channel).where("conversation_id", "=", conversationId).where("status", "in", ACTIVE);
        if (userId !== undefined) q = q.where("user_id", "=", userId);
        const r = await q.orderBy("id", "desc").limit(1).executeTakeFirst();
        return r ? toTicket(r) : undefined;
      }),

    personTickets: (channel, userId, limit = 20) =>
      run("personTickets", async (db) =>
        (await db.selectFrom("tickets").selectAll().where("channel", "=", channel).where("user_id", "=", userId).orderBy("id", "desc").limit(limit).execute()).map(toTicket)),

    findAnsweredTickets: (channel, conversationId, userId, limit = 10) =>
      run("findAnsweredTickets", async (db) => {
        // Newest answer first, not newest Vorgang: the team may answer an older Vorgang with a Rückfrage after a newer one.
        const rows = await db.selectFrom("tickets").selectAll().where("channel", "=", channel).where("conversation_id", "=", conversationId)
          .where("user_id", "=", userId).where("status", "=", "answered").orderBy("answered_at", "desc").orderBy("id", "desc").limit(limit).execute();
        return rows.map(toTicket);
      }),

    reopenTicket: (id) =>
      run("reopenTicket", async (db) =>
        changed(await db.updateTable("tickets").set({ status: "open", updated_at: now() }).where("id", "=", id).where("status", "=", "answered").executeTakeFirst()) > 0),

    setTicketContact: (id, contact) =>
      run("setTicketContact", async (db) => {
        await db.updateTable("tickets").set({ user_name: contact.userName, village: contact.village, updated_at: now() }).where("id", "=", id).execute();
      }),

    addTicketMessage: (id, m) => run("addTicketMessage", (db) => append(db, id, { at: now(), ...m })),

    listTickets: (filter = {}) =>
      run("listTickets", async (db) => {
        const rows = await db.selectFrom("tickets").selectAll().where("status", "in", filter.status ?? ["open", "claimed", "answered", "closed"])
          .orderBy("id", filter.oldestFirst ? "asc" : "desc").limit(filter.limit ?? 500).offset(filter.offset ?? 0).execute();
        return rows.map(toTicket);
      }),

    searchTickets: (text, limit = 50) =>
      run("searchTickets", async (db) => {
        // A number alone ("12", "Nr. 12", "Vorgang 12", "#12") is the Vorgangsnummer, not a word: "1" would find every text with a 1.
        const number = /^(?:(?:nr|nummer|vorgang|vorgangsnummer)\.?\s*|#\s*)?(\d{1,9})$/iu.exec(text.trim());
        if (number) {
          const r = await get(db, Number(number[1]));
          return r ? [r] : [];
        }
        const words = [...new Set(text.toLowerCase().split(/\s+/u).filter(Boolean))].slice(0, 6);
        if (!words.length) return [];
        // The database narrows by each word as typed and spelled with or without umlauts ("Mueller" finds "Müller");
        // LIKE's wildcards typed by staff are characters. It also sees the bot's texts and timestamps stored with
        // the messages, so what the team reads is checked again below.
        const like = (w: string) => `%${w.replace(/[\\%_]/gu, "\\$&")}%`;
        const fields = ["question", "context", "messages", "user_name", "village"] as const;
        const rows = await db.selectFrom("tickets").selectAll()
          .where((eb) => eb.and(words.map((w) => eb.or([...new Set([w, foldUmlauts(w), withUmlauts(w)])].flatMap((v) =>
            fields.map((f) => sql<boolean>`lower(${sql.ref(f)}) like ${like(v)} escape '\\'`))))))
          .orderBy("id", "desc").limit(SEARCH_SCAN).execute();
        const wanted = words.map(foldUmlauts);
        return rows.map(toTicket).filter((t) => {
          const seen = foldUmlauts([t.question, t.userName ?? "", t.village ?? "", ...t.context.filter((c) => c.role === "mayor").map((c) => c.text),
            ...t.messages.filter((m) => m.from !== "system").flatMap((m) => [m.text, m.author ?? ""])].join("\n").toLowerCase());
          return wanted.every((w) => seen.includes(w));
        }).slice(0, limit);
      }),

    countOpenTickets: (channel, userId) =>
      run("countOpenTickets", async (db) => {
        const r = await db.selectFrom("tickets").select((eb) => eb.fn.countAll().as("n")).where("channel", "=", channel).where("user_id", "=", userId).where("status", "in", ACTIVE).executeTakeFirstOrThrow();
        return Number(r.n);
      }),

    countTickets: () =>
      run("countTickets", async (db) => {
        const rows = await db.selectFrom("tickets").select((eb) => ["status", eb.fn.countAll().as("n")]).groupBy("status").execute();
        const out: Record<TicketStatus, number> = { open: 0, claimed: 0, answered: 0, closed: 0 };
        for (const r of rows) out[r.status as TicketStatus] = Number(r.n);
        return out;
      }),

    claimTicket: (id, staffMember) =>
      run("claimTicket", async (db) => {
        await db.updateTable("tickets").set({ status: "claimed", staff_member: staffMember, updated_at: now() }).where("id", "=", id).where("status", "=", "open").execute();
        return get(db, id);
      }),

    answerTicket: (id, staffMember, answer) =>
      run("answerTicket", async (db) => {
        const at = now();
        await append(db, id, { at, from: "staff", author: staffMember, text: answer }, { status: "answered", staff_member: staffMember, answer, answered_at: at });
        return get(db, id);
      }),

    closeTicket: (id, staffMember) =>
      run("closeTicket", async (db) => {
        await db.updateTable("tickets").set((eb) => ({ status: "closed", staff_member: eb.fn.coalesce("staff_member", eb.val(staffMember)), updated_at: now() })).where("id", "=", id).execute();
        return get(db, id);
      }),

    setTicketStaffPost: (id, ref) =>
      run("setTicketStaffPost", async (db) => {
        await db.updateTable("tickets").set({ staff_post_ref: ref }).where("id", "=", id).execute();
      }),

    findTicketByStaffPost: (ref) =>
      run("findTicketByStaffPost", async (db) => {
        const r = await db.selectFrom("tickets").selectAll().where("staff_post_ref", "=", ref).orderBy("id", "desc").limit(1).executeTakeFirst();
        return r ? toTicket(r) : undefined;
      }),

    ticketsToRemind: (olderThanIso, remindedBeforeIso) =>
      run("ticketsToRemind", async (db) => {
        const rows = await db.selectFrom("tickets").selectAll().where("status", "in", ACTIVE).where("created_at", "<", olderThanIso)
          .where((eb) => eb.or([eb("last_reminded_at", "is", null), eb("last_reminded_at", "<", remindedBeforeIso)])).orderBy("id").execute();
        return rows.map(toTicket);
      }),

    markReminded: (id, atIso) =>
      run("markReminded", async (db) => {
        await db.updateTable("tickets").set({ last_reminded_at: atIso }).where("id", "=", id).execute();
      }),
  };
}
