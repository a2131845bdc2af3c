import { askedBriefly } from "../../../src/core/messages.js";
import { escapeHtml } from "../../../src/channels/telegram/render.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonData, callbackUpdate, MAYOR, messageUpdate, sentMessage, textUpdate, type Person, type TgCall } from "../../support/telegram-api.js";
import { parseTelegramHtml } from "../../support/telegram-api.js";
import { handOverToStaff, mayors, OUT_OF_SCOPE, telegramHarness, type Harness } from "./harness.js";
import { waitingFor } from "../../../src/channels/telegram/staff-notifier.js";
import { WebSender } from "../../../src/channels/web/web-chat.js";

const STAFF_CHAT = -100200;
const STAFF: Person = { id: 901, first_name: "Sabine", last_name: "Sachbearbeiterin" };
const OUTSIDER: Person = { id: 902, first_name: "Olaf", last_name: "Außenstehend" };

let h: Harness;
beforeAll(async () => {
  h = await telegramHarness({ TELEGRAM_STAFF_CHAT_ID: String(STAFF_CHAT) });
  h.api.setMember(STAFF_CHAT, STAFF.id, "member");
  h.api.setMember(STAFF_CHAT, OUTSIDER.id, "left");
});
afterAll(async () => {
  await h.close();
});

const mayor = mayors(5500);
const staffPosts = () => h.api.sent(STAFF_CHAT);

/** A mayor's out-of-scope question; returns the ticket id and the staff chat post. */
const handOver = (p: Person) => handOverToStaff(h, STAFF_CHAT, p);

describe("Telegram staff chat (hand-over)", () => {
  it("says how long a ticket waits in German", () => {
    const now = Date.parse("2026-03-10T12:00:00Z");
    expect(waitingFor("2026-03-10T11:30:00Z", now)).toBe("weniger als einer Stunde");
    expect(waitingFor("2026-03-09T12:00:00Z", now)).toBe("24 Stunden");
    expect(waitingFor("2026-03-08T10:00:00Z", now)).toBe("2 Tagen");
  });

  it("an out-of-scope question: mayor told with the ticket number, post in the staff chat with buttons", async () => {
    const p = mayor();
    const { ticketId, post } = await handOver(p);

    const told = h.api.sent(p.id).at(-1)!.body.text;
    expect(told).toContain("an das Team der Kreisverwaltung weitergegeben");
    expect(told).toContain(`Ihre Vorgangsnummer: ${ticketId}`);
    expect(told).toContain("Die Antwort kommt hier in diesen Chat");

    expect(post.response.ok).toBe(true);
    expect(post.body.parse_mode).toBe("HTML");
    const text = post.body.text as string;
    expect(text).toContain(`<b>Vorgang Nr. ${ticketId}</b> · Keine sichere Antwort gefunden`);
    expect(text).toContain(`Von: ${p.first_name} ${p.last_name} · Telegram`);
    expect(text).toContain(`<blockquote>${OUT_OF_SCOPE}</blockquote>`);
    expect(buttonData(post, /Übernehmen/)).toBe(`st:claim:${ticketId}`);
    expect(buttonData(post, /Erledigt/)).toBe(`st:close:${ticketId}`);
    const ticket = await h.core.store.getTicket(ticketId);
    expect(ticket?.staffPostRef).toBe(`${STAFF_CHAT}:${sentMessage(post).message_id}`);
  });

  it("a staff reply to the post is delivered to the mayor's chat; ticket answered; confirmed in the staff chat", async () => {
    const p = mayor();
    const { ticketId, post } = await handOver(p);
    const staffText = "Dazu gibt es noch keinen Beschluss. Fragen Sie bitte bei der VG Ruwer & beim Kreis nach <Bauamt>.";
    await h.send(messageUpdate({ text: staffText, reply_to_message: sentMessage(post) }, { chatId: STAFF_CHAT, from: STAFF, messageId: 7001 }));

    const delivered = h.api.sent(p.id).at(-1)!;
    expect(delivered.body.text).toBe(
      `<b>Antwort des Teams zu Ihrer Anfrage Nr. ${ticketId} (${escapeHtml(askedBriefly(OUT_OF_SCOPE))}):</b>\n\nDazu gibt es noch keinen Beschluss. Fragen Sie bitte bei der VG Ruwer &amp; beim Kreis nach &lt;Bauamt&gt;.`,
    );
    const ticket = await h.core.store.getTicket(ticketId);
    expect(ticket).toMatchObject({ status: "answered", staffMember: "Sabine Sachbearbeiterin", answer: staffText });

    const confirm = staffPosts().at(-1)!;
    expect(confirm.body.text).toBe(`Antwort zu Vorgang Nr. ${ticketId} an ${p.first_name} ${p.last_name} zugestellt.`);
    expect(confirm.body.reply_parameters.message_id).toBe(7001);
    // One confirmation, not also a "Beantwortet von …" note.
    expect(staffPosts().filter((c) => c.body.text.includes("Beantwortet von"))).toHaveLength(0);
  });

  it("relays a staff reply to a mayor who asked in another channel (web chat)", async () => {
    h.core.delivery.registerSender(new WebSender(h.core.store));
    const reply = await h.core.assistant.handle({ channel: "web", conversationId: "web-session-1", userId: "web-session-1", isGroup: false, text: OUT_OF_SCOPE, reference: { session: "web-session-1" } });
    const ticketId = reply.ticket!.id;
    await h.core.delivery.noticesSent();
    const post = staffPosts().find((c) => c.body.text.includes(`Vorgang Nr. ${ticketId}</b>`))!;
    expect(post.body.text).toContain("· Web-Chat");
    await h.send(messageUpdate({ text: "Das klären wir mit der VG.", reply_to_message: sentMessage(post) }, { chatId: STAFF_CHAT, from: STAFF }));
    const outbox = await h.core.store.pullOutbox("web", "web-session-1");
    expect(outbox.map((m) => m.text).join("\n")).toContain("Das klären wir mit der VG.");
    expect((await h.core.store.getTicket(ticketId))?.status).toBe("answered");
  });

  it("refuses a claim by someone who is not in the staff chat, and a claim pressed outside it", async () => {
    const p = mayor();
    const { ticketId, post } = await handOver(p);
    const msg = sentMessage(post);
    await h.send(callbackUpdate(`st:claim:${ticketId}`, { chatId: STAFF_CHAT, messageId: msg.message_id }, OUTSIDER));
    const refusal = h.api.callsTo("answerCallbackQuery").at(-1)!;
    expect(refusal.body).toMatchObject({ text: "Das dürfen nur Mitglieder des Team-Chats.", show_alert: true });
    expect(h.api.callsTo("getChatMember").some((c) => String(c.body.chat_id) === String(STAFF_CHAT) && c.body.user_id === OUTSIDER.id)).toBe(true);

    // A forwarded/copied button in a mayor's chat, even pressed by staff, does nothing either.
    await h.send(callbackUpdate(`st:claim:${ticketId}`, { chatId: p.id, messageId: 1 }, STAFF));
    expect(h.api.callsTo("answerCallbackQuery").at(-1)!.body.text).toBe("Das dürfen nur Mitglieder des Team-Chats.");
    expect((await h.core.store.getTicket(ticketId))?.status).toBe("open");
  });

  it("staff claim (buttons shrink to „Erledigt“) and close (buttons removed) with a note in the staff chat", async () => {
    const p = mayor();
    const { ticketId, post } = await handOver(p);
    const msg = sentMessage(post);
    await h.send(callbackUpdate(`st:claim:${ticketId}`, { chatId: STAFF_CHAT, messageId: msg.message_id }, STAFF));
    expect(await h.core.store.getTicket(ticketId)).toMatchObject({ status: "claimed", staffMember: "Sabine Sachbearbeiterin" });
    const edit = h.api.callsTo("editMessageReplyMarkup").at(-1)!;
    expect(edit.body.reply_markup.inline_keyboard).toEqual([[{ text: "Erledigt", callback_data: `st:close:${ticketId}` }]]);
    expect(staffPosts().at(-1)!.body.text).toBe(`Vorgang Nr. ${ticketId} übernommen von Sabine Sachbearbeiterin.`);

    // A second claim is answered, not applied twice.
    await h.send(callbackUpdate(`st:claim:${ticketId}`, { chatId: STAFF_CHAT, messageId: msg.message_id }, STAFF));
    expect(h.api.callsTo("answerCallbackQuery").at(-1)!.body.text).toContain("schon übernommen");

    await h.send(callbackUpdate(`st:close:${ticketId}`, { chatId: STAFF_CHAT, messageId: msg.message_id }, STAFF));
    expect((await h.core.store.getTicket(ticketId))?.status).toBe("closed");
    expect(h.api.callsTo("editMessageReplyMarkup").at(-1)!.body.reply_markup).toBeUndefined();
  });

  it("a long question in the staff post keeps its end, where the question stands after a story", async () => {
    const p = mayor();
    const story = `${"Wir hatten im Gemeinderat eine lange Diskussion über den Dorfplatz und die Bänke. ".repeat(30)}Welche Windkraftanlagen sind in der VG Ruwer geplant?`;
    await h.send(textUpdate(story, { from: p }));
    const post = staffPosts().at(-1)!;
    expect(post.body.text).toContain("[gekürzt, ganz in /staff]");
    expect(post.body.text).toContain("Welche Windkraftanlagen sind in der VG Ruwer geplant?</blockquote>");
  });

  it("a colleague's 'ok danke' under a confirmation, or a reply to a closed Vorgang, does not go to the mayor", async () => {
    const p = mayor();
    const { ticketId, post } = await handOver(p);
    const msg = sentMessage(post);
    await h.send(callbackUpdate(`st:claim:${ticketId}`, { chatId: STAFF_CHAT, messageId: msg.message_id }, STAFF));
    const confirmation = staffPosts().at(-1)!;
    expect(confirmation.body.text).toBe(`Vorgang Nr. ${ticketId} übernommen von Sabine Sachbearbeiterin.`);
    const toMayor = h.api.sent(p.id).length;
    await h.send(messageUpdate({ text: "ok danke", reply_to_message: sentMessage(confirmation) }, { chatId: STAFF_CHAT, from: STAFF, messageId: 7101 }));
    expect(h.api.sent(p.id)).toHaveLength(toMayor);
    expect(staffPosts().at(-1)!.body.text).toContain("Das ist eine Bestätigung, kein Vorgang");
    expect((await h.core.store.getTicket(ticketId))?.status).toBe("claimed");
    await h.send(callbackUpdate(`st:close:${ticketId}`, { chatId: STAFF_CHAT, messageId: msg.message_id }, STAFF));
    const afterClose = h.api.sent(p.id).length;
    await h.send(messageUpdate({ text: "Alles klar, danke!", reply_to_message: msg }, { chatId: STAFF_CHAT, from: STAFF, messageId: 7102 }));
    expect(h.api.sent(p.id)).toHaveLength(afterClose);
    expect(staffPosts().at(-1)!.body.text).toContain(`Vorgang Nr. ${ticketId} ist erledigt – Ihre Nachricht wurde nicht weitergegeben`);
  });

  it("does not take staff chat messages that are not replies to ticket posts as questions", async () => {
    const before = staffPosts().length;
    await h.send(textUpdate("Guten Morgen zusammen!", { chatId: STAFF_CHAT, from: STAFF }));
    await h.send(textUpdate("@ortslotse_bot Sind Helfer bei Arbeitseinsätzen versichert?", { chatId: STAFF_CHAT, from: STAFF }));
    await h.send(textUpdate("/frage Sind Helfer versichert?", { chatId: STAFF_CHAT, from: STAFF }));
    expect(staffPosts()).toHaveLength(before);
    expect(await h.core.store.recentTurns("telegram", String(STAFF_CHAT), 5)).toHaveLength(0);
    await h.send(textUpdate("/hilfe", { chatId: STAFF_CHAT, from: STAFF }));
    expect(staffPosts().at(-1)!.body.text).toContain("Team-Chat des Ortslotsen");
  });

  it("re-posts overdue tickets as a reminder; a reply to the reminder reaches the mayor too", async () => {
    const p = mayor();
    const { ticketId } = await handOver(p);
    const reminded = await h.core.handover.remindOverdue(24, new Date(Date.now() + 50 * 3600_000));
    expect(reminded).toBeGreaterThan(0);
    await h.core.delivery.noticesSent();
    const reminder = staffPosts().find((c) => c.body.text.includes(`Erinnerung: Vorgang Nr. ${ticketId} wartet seit`))!;
    expect(reminder).toBeDefined();
    expect(buttonData(reminder, /Erledigt/)).toBe(`st:close:${ticketId}`);

    await h.send(messageUpdate({ text: "Wir melden uns morgen.", reply_to_message: sentMessage(reminder) }, { chatId: STAFF_CHAT, from: STAFF }));
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("Wir melden uns morgen.");
  });

  it("an answer given elsewhere (/staff page) shows up as a note under the post; long answers are split for the mayor", async () => {
    const p = mayor();
    const { ticketId, post } = await handOver(p);
    const long = Array.from({ length: 60 }, (_, i) => `Absatz ${i}: Für Windkraft ist die Verbandsgemeinde zuständig & der Kreis prüft <Genehmigungen>.`).join("\n\n").repeat(2);
    const res = await h.core.handover.answer(ticketId, "Web-Team", long);
    expect(res.delivered).toBe(true);

    const all = h.api.sent(p.id).filter((c) => c.body.text.includes("Absatz") || c.body.text.includes("Antwort des Teams"));
    expect(all.length).toBeGreaterThan(1);
    for (const c of all) {
      expect(c.body.text.length).toBeLessThanOrEqual(4096);
      expect("error" in parseTelegramHtml(c.body.text)).toBe(false);
    }

    await h.core.delivery.noticesSent();
    const note = staffPosts().at(-1)!;
    expect(note.body.text).toBe(`<b>Vorgang Nr. ${ticketId}</b>: Beantwortet von Web-Team.`);
    expect(note.body.reply_parameters.message_id).toBe(sentMessage(post).message_id);
  });

  it("tells staff when the answer could not be delivered, and keeps the ticket open", async () => {
    const p = mayor();
    const { ticketId, post } = await handOver(p);
    h.api.fail("sendMessage", { kind: "error", code: 403, description: "Forbidden: bot was blocked by the user" }, { chatId: p.id });
    await h.send(messageUpdate({ text: "Antwort", reply_to_message: sentMessage(post) }, { chatId: STAFF_CHAT, from: STAFF }));
    expect(staffPosts().at(-1)!.body.text).toContain(`Antwort zu Vorgang Nr. ${ticketId} konnte nicht zugestellt werden`);
    expect((await h.core.store.getTicket(ticketId))?.status).toBe("open");
  });

  it("a staff reply to a bot message without a ticket gets a hint", async () => {
    const other = { message_id: 3, date: 1, chat: { id: STAFF_CHAT, type: "supergroup", title: "Team" }, from: h.api.botInfo, text: "Irgendwas" };
    await h.send(messageUpdate({ text: "Hallo?", reply_to_message: other }, { chatId: STAFF_CHAT, from: STAFF }));
    expect(staffPosts().at(-1)!.body.text).toContain("Zu dieser Nachricht finde ich keinen Vorgang");
    // MAYOR is unaffected.
    expect(h.api.sent(MAYOR.id)).toHaveLength(0);
  });

  it("after the mayor deletes their data, the staff post loses name, question and buttons and says why", async () => {
    const p = mayor();
    const { ticketId, post } = await handOver(p);
    // A staff answer: the bot's "an … zugestellt" line below the post names the mayor.
    await h.send(messageUpdate({ text: "Dazu gibt es noch keinen Beschluss.", reply_to_message: sentMessage(post) }, { chatId: STAFF_CHAT, from: STAFF, messageId: 7301 }));
    const delivered = staffPosts().at(-1)!;
    expect(delivered.body.text).toContain(p.last_name!);
    await h.send(textUpdate("/loeschen", { from: p }));
    const confirm = h.api.sent(p.id).at(-1)!;
    await h.send(callbackUpdate(buttonData(confirm, /Ja/), { chatId: p.id, messageId: sentMessage(confirm).message_id }, p));
    await h.core.delivery.noticesSent();

    expect(await h.core.store.getTicket(ticketId)).toBeUndefined();
    const edit = h.api.callsTo("editMessageText").find((c) => c.body.chat_id === STAFF_CHAT && c.body.message_id === sentMessage(post).message_id);
    expect(edit?.response.ok).toBe(true);
    expect(edit!.body.text).toContain(`Vorgang Nr. ${ticketId} wurde auf Wunsch der Person gelöscht`);
    expect(edit!.body.text).not.toContain(p.last_name!);
    expect(edit!.body.text).not.toContain(OUT_OF_SCOPE);
    expect(edit!.body.reply_markup).toEqual({ inline_keyboard: [] });
    const line = h.api.callsTo("editMessageText").find((c) => c.body.chat_id === STAFF_CHAT && c.body.message_id === sentMessage(delivered).message_id);
    expect(line?.body.text).toContain(`Gelöscht auf Wunsch der Person (Vorgang Nr. ${ticketId})`);
    expect(line!.body.text).not.toContain(p.last_name!);
    // A staff reply to the cleared post learns why nothing is sent.
    await h.send(messageUpdate({ text: "Baut 2027.", reply_to_message: { ...sentMessage(post), text: edit!.body.text } }, { chatId: STAFF_CHAT, from: STAFF, messageId: 7302 }));
    expect(staffPosts().at(-1)!.body.text).toContain("Dieser Vorgang wurde auf Wunsch der Person gelöscht. Ihre Antwort wurde nicht verschickt.");
  });
});
