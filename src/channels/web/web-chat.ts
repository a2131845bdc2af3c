import { Hono, type Context } from "hono";
import { getSignedCookie, setSignedCookie } from "hono/cookie";
import { storedSecret } from "../../store/stored-secret.js";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { PRIVACY_DELETED, type Assistant } from "../../core/assistant.js";
import type { Incoming, Reply, Source } from "../../core/types.js";
import type { OutgoingMessage, Sender } from "../../core/ports.js";
import type { ConversationRecord, Store } from "../../store/store.js";
import { CHAT_PAGE, CHAT_SCRIPT, newsletterPage, privacyPage } from "./chat-page.js";
import { wentToStaff } from "../../core/question-turn.js";
import { germanDate } from "../../answer/format.js";
import { PRIVACY_TEXT } from "../../core/privacy.js";
import { MSG } from "../../core/messages.js";
import { REACH_PREFIX } from "../../core/my-data.js";
import { clientAddress } from "./client-address.js";

const SESSION_COOKIE = "ortslotse_chat";
/** Questions and answers a reloaded page shows again. */
const HISTORY_TURNS = 30;

/** Web chat conversations get staff answers by polling their outbox. */
export class WebSender implements Sender {
  readonly channel = "web" as const;
  constructor(private store: Store) {}
  async send(conversation: ConversationRecord, message: OutgoingMessage): Promise<void> {
    await this.store.pushOutbox("web", conversation.conversationId, message.text);
  }
}

const AskBody = z.object({ text: z.string().max(100_000) });
const FeedbackBody = z.object({ turnId: z.number().int().positive(), value: z.union([z.literal(1), z.literal(-1)]) });
const HandoverBody = z.object({ turnId: z.number().int().positive().optional() });
const ContactBody = z.object({
  ticketId: z.number().int().positive(),
  name: z.string().trim().min(2).max(120),
  village: z.string().trim().min(2).max(120),
  reach: z.string().trim().max(200).optional(),
});

function publicReply(r: Reply) {
  return {
    action: r.action, text: r.text, sources: r.sources, sourcesHeading: MSG.sourcesHeading(r.action), stand: r.stand, confidence: r.confidence,
    turnId: r.turnId, ticket: r.ticket?.id, newTicket: r.ticket?.isNew ?? false, offerFeedback: r.offerFeedback,
    // An answer with a part of the message handed over is marked like a hand-over (user test: it looked answered).
    partHandedOver: r.action === "answer" && wentToStaff(r),
    choices: r.choices,
    ...(r.reasons.includes(PRIVACY_DELETED) ? { erased: true } : {}),
  };
}

/** Routes of the embedded web chat: the page, and JSON endpoints bound to a random session cookie. */
export function webChatRoutes(deps: { assistant: Assistant; store: Store; secureCookies: boolean; questionsPerAddressPerMinute?: number; trustProxy?: number }) {
  const app = new Hono();
  // The per-person limit is keyed by the session cookie, which a script simply drops: limit the address too.
  const perAddress = deps.questionsPerAddressPerMinute ? deps.store.rateLimiter("web-address", deps.questionsPerAddressPerMinute, 60) : undefined;
  const addressOf = (c: Context) => clientAddress(c, deps.trustProxy ?? 0);
  const secret = storedSecret(deps.store, "web:sessionSecret");
  // Signed: an id the server did not hand out (guessed or copied from a log) is replaced by a new one.
  const session = async (c: Context) => {
    const key = await secret();
    let id = await getSignedCookie(c, key, SESSION_COOKIE, deps.secureCookies ? "host" : undefined);
    if (!id || !/^[a-f0-9]{32}$/.test(id)) {
      id = randomBytes(16).toString("hex");
      await setSignedCookie(c, SESSION_COOKIE, id, key, { httpOnly: true, sameSite: "Strict", path: "/", secure: deps.secureCookies, maxAge: 60 * 60 * 24 * 180, ...(deps.secureCookies ? { prefix: "host" as const } : {}) });
    }
    return id;
  };
  // hono/request-id (server.ts) gave the request its id; the core logs it with every line.
  const incoming = (id: string, text: string, c?: Context): Incoming => ({
    channel: "web", conversationId: id, userId: id, isGroup: false, text, reference: { session: id },
    requestId: c?.get("requestId" as never),
  });

  app.get("/", async (c) => {
    await session(c);
    return c.html(CHAT_PAGE);
  });
  app.get("/chat.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    return c.body(CHAT_SCRIPT);
  });
  // Browsers ask for it on every page; an empty answer keeps the logs free of 404s.
  app.get("/favicon.ico", (c) => c.body(null, 204));
  // In the web chat the commands are the two buttons under the input box.
  app.get("/datenschutz", (c) => c.html(privacyPage(PRIVACY_TEXT.replace("„/meine_daten“", "„Meine Daten“ (unter dem Eingabefeld des Chats)").replace("„/loeschen“", "„Löschen“"))));
  // Each newsletter issue as a page: sources link here instead of to a third-party article.
  app.get("/newsletter/:nr", (c) => {
    const nr = /^\d{1,4}$/.test(c.req.param("nr")) ? Number(c.req.param("nr")) : undefined;
    const chunks = nr === undefined ? [] : deps.assistant.retriever.newsletterIssue(nr);
    if (!chunks.length) return c.html(newsletterPage({ title: "Nicht gefunden", sections: [{ heading: "Diese Ausgabe gibt es nicht", text: "Diese Newsletter-Ausgabe steht nicht in den Unterlagen des Ortslotsen." }] }), 404);
    // One issue may exist as Markdown and as PDF: the Markdown one (no "-pdf" id) is shown.
    const docId = [...new Set(chunks.map((ch) => ch.meta.docId))].sort((a, b) => Number(a.endsWith("-pdf")) - Number(b.endsWith("-pdf")))[0];
    const sections: { heading: string; text: string }[] = [];
    for (const ch of chunks.filter((x) => x.meta.docId === docId).sort((a, b) => Number(a.meta.chunkId.split("#")[1]) - Number(b.meta.chunkId.split("#")[1]))) {
      const last = sections.at(-1);
      if (last && last.heading === ch.meta.section) last.text += `\n\n${ch.text}`;
      else sections.push({ heading: ch.meta.section, text: ch.text });
    }
    const m = chunks.find((x) => x.meta.docId === docId)!.meta;
    return c.html(newsletterPage({ title: m.title, date: m.date ? germanDate(m.date) : undefined, sections }));
  });
  app.post("/api/chat", async (c) => {
    if (perAddress && !(await perAddress.allow(addressOf(c)))) {
      return c.json({ error: "Von Ihrem Anschluss kommen gerade sehr viele Nachrichten. Bitte warten Sie eine Minute und schicken Sie Ihre Frage dann noch einmal." }, 429);
    }
    const id = await session(c);
    const body = AskBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: "Bitte senden Sie Ihre Frage als Text." }, 400);
    return c.json(await withKnownContact(id, await deps.assistant.ask(incoming(id, body.data.text, c))));
  });
  /**
   * Who asks was said once in this chat: a new Vorgang gets it too, and the form is not shown again – whichever
   * way the Vorgang came (a question, 👎, the button for a person).
   */
  async function withKnownContact(id: string, reply: Reply): Promise<ReturnType<typeof publicReply> & { newTicket?: boolean }> {
    if (reply.ticket?.isNew) {
      const known = await knownContact(id);
      if (known) {
        await deps.store.setTicketContact(reply.ticket.id, known);
        return { ...publicReply(reply), newTicket: false };
      }
    }
    return publicReply(reply);
  }
  app.post("/api/chat/feedback", async (c) => {
    const id = await session(c);
    const body = FeedbackBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: "Ungültige Rückmeldung." }, 400);
    const reply = await deps.assistant.feedback(incoming(id, ""), body.data.turnId, body.data.value);
    if (!reply) return c.json({ error: "Diese Antwort gehört nicht zu Ihrem Gespräch." }, 404);
    return c.json(await withKnownContact(id, reply));
  });
  app.post("/api/chat/handover", async (c) => {
    const id = await session(c);
    const body = HandoverBody.safeParse(await c.req.json().catch(() => ({})));
    if (!body.success) return c.json({ error: "Ungültige Anfrage." }, 400);
    return c.json(await withKnownContact(id, await deps.assistant.requestHuman(incoming(id, ""), body.data.turnId)));
  });
  // Staff need to know who asks in the web chat (there is no account name): name, Ortsgemeinde, optionally phone/e-mail.
  app.post("/api/chat/contact", async (c) => {
    const id = await session(c);
    const body = ContactBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: "Bitte geben Sie Ihren Namen und Ihre Ortsgemeinde an." }, 400);
    const ticket = await deps.store.getTicket(body.data.ticketId);
    if (!ticket || ticket.channel !== "web" || ticket.conversationId !== id) return c.json({ error: "Diesen Vorgang gibt es in Ihrem Gespräch nicht." }, 404);
    // Said once, it holds for every open Vorgang of this chat that has no name yet (the mayor is one person).
    const { tickets } = await deps.store.exportUserData("web", id);
    const open = tickets.filter((k) => k.id === ticket.id || ((k.status === "open" || k.status === "claimed") && !k.userName && !k.village));
    for (const k of open) {
      await deps.store.setTicketContact(k.id, { userName: body.data.name, village: body.data.village });
      if (body.data.reach) await deps.store.addTicketMessage(k.id, { from: "mayor", author: body.data.name, text: `${REACH_PREFIX} ${body.data.reach}` });
    }
    const ids = open.map((k) => k.id).sort((a, b) => a - b);
    const list = ids.length > 1 ? `den Vorgängen Nr. ${ids.slice(0, -1).join(", ")} und ${ids.at(-1)}` : `Vorgang Nr. ${ticket.id}`;
    return c.json({ text: `Danke, ${body.data.name}. Das Team sieht jetzt bei ${list}, wer Sie sind. Bei weiteren Anfragen aus diesem Chat müssen Sie das nicht noch einmal angeben.` });
  });
  /** The name and Ortsgemeinde this chat gave last (on any of its Vorgänge). */
  async function knownContact(id: string): Promise<{ userName: string; village: string } | undefined> {
    const { tickets } = await deps.store.exportUserData("web", id);
    const named = tickets.filter((k) => k.userName && k.village).sort((a, b) => b.id - a.id)[0];
    return named ? { userName: named.userName!, village: named.village! } : undefined;
  }
  // The conversation survives a reload: questions, answers and the team's answers, kept on the server.
  app.get("/api/chat/history", async (c) => {
    const id = await session(c);
    const { turns, tickets } = await deps.store.exportUserData("web", id);
    const items: { role: "me" | "bot"; action?: string; partHandedOver?: boolean; text: string; ticket?: number; newTicket?: boolean; sources?: Source[]; sourcesHeading?: string; turnId?: number; offerFeedback?: boolean; choices?: { label: string; text: string }[] }[] = [];
    // A team answer stands under the question it answers (the Vorgang keeps the mayor's words).
    const answered = tickets.filter((k) => k.answer);
    // A Vorgang staff closed without writing here: its notice stays in the chat, or the mayor keeps waiting.
    const closedSilently = tickets.filter((k) => k.status === "closed" && !k.answer);
    const placed = new Set<number>();
    // A Vorgang still open without name and Ortsgemeinde: its contact form comes back after a reload, so the
    // mayor can still say who asks.
    const unnamed = tickets.filter((k) => (k.status === "open" || k.status === "claimed") && !k.userName && !k.village);
    // A Förder-Finder list that is the last turn and still waits for who applies gets its buttons back.
    const last = turns.at(-1);
    const waiting = last?.reasons.includes("funding_finder") ? await deps.assistant.pendingChoices({ channel: "web", conversationId: id, userId: id }) : [];
    // A team answer that arrived since this browser was last here stands at the end, where the phone opens,
    // not under its question far up (it is still waiting in the outbox).
    const waitingMessages = await deps.store.pullOutbox("web", id);
    const fresh = new Set(waitingMessages.map((m) => m.text));
    // A Vorgang belongs under the turn that opened it: its question is the turn's message or one question of it (a
    // hand-over of one part of two; user test: that team answer went to the end again on every reload).
    const spaced = (x: string) => x.replace(/\s+/g, " ").trim();
    const opened = (k: (typeof tickets)[number], t: (typeof turns)[number]) =>
      (k.question === t.question || spaced(t.question).includes(spaced(k.question))) && t.answer.includes(String(k.id));
    for (const t of turns.slice(-HISTORY_TURNS)) {
      const form = unnamed.find((k) => opened(k, t));
      // An answer comes back with its sources, and with the feedback buttons while it has none; a hand-over with the
      // passages it offered meanwhile ("Vielleicht hilft das schon"; they were gone after a reload, user test).
      const answer = t.action === "answer"
        ? { sources: deps.assistant.storedSources(t.sourceIds, "web"), sourcesHeading: MSG.sourcesHeading(t.action), turnId: t.id, offerFeedback: t.feedback === undefined }
        : t.action === "handover" && t.sourceIds.length ? { sources: deps.assistant.storedSources(t.sourceIds, "web"), sourcesHeading: MSG.sourcesHeading(t.action) } : {};
      const choices = t === last && waiting.length ? { choices: waiting } : {};
      items.push({ role: "me", text: deps.assistant.shownQuestion(t.question) }, { role: "bot", action: t.action, partHandedOver: t.action === "answer" && wentToStaff(t), text: t.answer, ...answer, ...choices, ...(form ? { ticket: form.id, newTicket: true } : {}) });
      for (const k of answered) if (!placed.has(k.id) && !fresh.has(MSG.staffAnswer(k.id, k.question, k.answer!)) && opened(k, t)) {
        placed.add(k.id);
        items.push({ role: "bot", action: "staff", text: MSG.staffAnswer(k.id, k.question, k.answer!) });
      }
      for (const k of closedSilently) if (!placed.has(k.id) && !fresh.has(MSG.closedWithoutAnswer(k.id, k.question)) && opened(k, t)) {
        placed.add(k.id);
        items.push({ role: "bot", action: "staff", text: MSG.closedWithoutAnswer(k.id, k.question) });
      }
    }
    for (const k of answered) if (!placed.has(k.id) && !fresh.has(MSG.staffAnswer(k.id, k.question, k.answer!))) items.push({ role: "bot", action: "staff", text: MSG.staffAnswer(k.id, k.question, k.answer!) });
    for (const k of closedSilently) if (!placed.has(k.id) && !fresh.has(MSG.closedWithoutAnswer(k.id, k.question))) items.push({ role: "bot", action: "staff", text: MSG.closedWithoutAnswer(k.id, k.question) });
    // Messages waiting for this browser are shown here once (not again by the next poll).
    const shownTexts = new Set(items.map((i) => i.text));
    for (const m of waitingMessages) if (!shownTexts.has(m.text)) items.push({ role: "bot", action: "staff", text: m.text });
    return c.json({ items });
  });
  app.get("/api/chat/inbox", async (c) => {
    const id = await session(c);
    return c.json({ messages: await deps.store.pullOutbox("web", id) });
  });
  return app;
}
