import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonData, callbackUpdate, sentMessage, textUpdate, type Person } from "../../support/telegram-api.js";
import { telegramHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await telegramHarness();
});
afterAll(async () => {
  await h.close();
});

let nextUser = 7000;
const mayor = (): Person => ({ id: nextUser++, first_name: "Erika", last_name: "Beispiel" });

/** Asks a question in a private chat and returns the bot's answer call. */
async function ask(from: Person, text: string) {
  await h.send(textUpdate(text, { from }));
  const sent = h.api.sent(from.id);
  expect(sent.length).toBeGreaterThan(0);
  return sent[sent.length - 1];
}

describe("Telegram private chat", () => {
  it("welcomes on /start: what the bot does, that staff read handed-over questions, /mensch and /datenschutz", async () => {
    const p = mayor();
    await h.send(textUpdate("/start", { from: p }));
    const [msg] = h.api.sent(p.id);
    expect(msg.body.parse_mode).toBe("HTML");
    expect(msg.body.text).toContain("Ortslotse");
    expect(msg.body.text).toContain("lesen dort Mitarbeiterinnen und Mitarbeiter der Kreisverwaltung");
    expect(msg.body.text).toContain("/mensch");
    expect(msg.body.text).toContain("/datenschutz");
  });

  it("answers a question with typing, HTML, source links, the Stand line and the feedback keyboard", async () => {
    const p = mayor();
    const call = await ask(p, "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?");
    const typing = h.api.callsTo("sendChatAction").find((c) => c.body.chat_id === p.id);
    expect(typing?.body.action).toBe("typing");
    expect(h.api.calls.indexOf(typing!)).toBeLessThan(h.api.calls.indexOf(call));

    expect(call.body.parse_mode).toBe("HTML");
    expect(call.response.ok).toBe(true);
    expect(call.body.text).toContain("Unfallkasse Rheinland-Pfalz");
    expect(call.body.text).toContain('<a href="https://www.ukrlp.de/">FAQ: Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?</a>');
    expect(call.body.text).toContain("<i>Stand: November 2026.");
    expect(call.body.text).toContain("<i>Hinweis: Das ist keine Rechtsberatung.");

    const rows = call.body.reply_markup.inline_keyboard;
    const turnId = Number(/^fb:(\d+):1$/.exec(rows[0][0].callback_data)![1]);
    expect(rows).toEqual([
      [
        { text: "👍 Hilfreich", callback_data: `fb:${turnId}:1` },
        { text: "👎 Nicht hilfreich", callback_data: `fb:${turnId}:-1` },
      ],
      [{ text: "An das Team weitergeben", callback_data: `ho:${turnId}` }],
    ]);
    const turn = await h.core.store.getTurn(turnId);
    expect(turn).toMatchObject({ channel: "telegram", conversationId: String(p.id), userId: String(p.id), action: "answer" });
    const conv = await h.core.store.getConversation("telegram", String(p.id));
    expect(conv?.reference).toEqual({ chatId: p.id });
  });

  it("👍 answers the button press, stores the feedback in SQLite and removes the buttons", async () => {
    const p = mayor();
    const answer = await ask(p, "Was sind Ehrenamtliche Bürgerprojekte?");
    const data = buttonData(answer, /👍/);
    const turnId = Number(data.split(":")[1]);
    const m = sentMessage(answer);
    await h.send(callbackUpdate(data, { chatId: p.id, messageId: m.message_id }, p));

    const acks = h.api.callsTo("answerCallbackQuery");
    expect(acks.length).toBeGreaterThan(0);
    const edit = h.api.callsTo("editMessageReplyMarkup").find((c) => c.body.chat_id === p.id && c.body.message_id === m.message_id);
    expect(edit).toBeDefined();
    expect(edit!.body.reply_markup).toBeUndefined();
    expect((await h.core.store.getTurn(turnId))?.feedback).toBe(1);
    expect(h.api.sent(p.id).at(-1)!.body.text).toBe("Danke für Ihre Rückmeldung!");
  });

  it("👎 hands the question over: a ticket with reason thumbs_down, and the mayor gets its number", async () => {
    const p = mayor();
    const answer = await ask(p, "Wie viel Förderung gibt es für einen Bürgerbus?");
    const data = buttonData(answer, /👎/);
    const turnId = Number(data.split(":")[1]);
    await h.send(callbackUpdate(data, { chatId: p.id, messageId: sentMessage(answer).message_id }, p));

    expect((await h.core.store.getTurn(turnId))?.feedback).toBe(-1);
    const ticket = (await h.core.store.listTickets()).find((t) => t.conversationId === String(p.id));
    expect(ticket).toMatchObject({ reason: "thumbs_down", status: "open", channel: "telegram", userName: "Erika Beispiel" });
    expect(ticket!.question).toContain("Bürgerbus");
    const reply = h.api.sent(p.id).at(-1)!.body.text;
    expect(reply).toContain(`Ihre Vorgangsnummer: ${ticket!.id}`);
  });

  it('"An das Team weitergeben" opens a person_requested ticket for that answer', async () => {
    const p = mayor();
    const answer = await ask(p, "Welche Rechtsform passt für einen Dorfladen?");
    await h.send(callbackUpdate(buttonData(answer, /Team/), { chatId: p.id, messageId: sentMessage(answer).message_id }, p));
    const ticket = (await h.core.store.listTickets()).find((t) => t.conversationId === String(p.id));
    expect(ticket).toMatchObject({ reason: "person_requested" });
    expect(ticket!.question).toContain("Dorfladen");
    expect(ticket!.draftAnswer).toContain("Genossenschaft");
  });

  it("a second 👎 on the same answer opens no second ticket", async () => {
    const p = mayor();
    const answer = await ask(p, "Welche Rechtsform passt für einen Dorfladen?");
    const press = () => h.send(callbackUpdate(buttonData(answer, /👎/), { chatId: p.id, messageId: sentMessage(answer).message_id }, p));
    await press();
    await press();
    expect((await h.core.store.listTickets()).filter((t) => t.conversationId === String(p.id))).toHaveLength(1);
    expect(h.api.sent(p.id).at(-1)!.body.text).toBe("Ihre Rückmeldung habe ich bereits erhalten.");
  });

  it("ignores forged button data for an answer from someone else's chat", async () => {
    const owner = mayor();
    const answer = await ask(owner, "Was sind Ehrenamtliche Bürgerprojekte?");
    const turnId = Number(buttonData(answer, /👎/).split(":")[1]);
    const intruder = mayor();
    await h.send(callbackUpdate(`fb:${turnId}:-1`, { chatId: intruder.id, messageId: 5 }, intruder));
    expect((await h.core.store.getTurn(turnId))?.feedback).toBeUndefined();
    expect(h.api.sent(intruder.id).at(-1)!.body.text).toContain("Diese Antwort kann ich nicht mehr zuordnen");
    await h.send(callbackUpdate("fb:abc:1", { chatId: intruder.id, messageId: 5 }, intruder));
    expect(h.api.callsTo("answerCallbackQuery").at(-1)!.body.text).toBe("Diese Schaltfläche gilt nicht mehr.");
  });

  it("answers a maximal message full of control and zero-width characters without crashing", async () => {
    const p = mayor();
    const text = ("Sind\u0000 Helfer\u200B versichert?\u0007 " + "x".repeat(50)).repeat(60).slice(0, 4096);
    await h.send(textUpdate(text, { from: p }));
    const [reply] = h.api.sent(p.id);
    expect(reply.response.ok).toBe(true);
  });

  it("escapes < and & from the knowledge (answer and source title) so Telegram accepts the HTML", async () => {
    const p = mayor();
    const call = await ask(p, "Was gilt für Formulare mit <Name> & <Ort>?");
    expect(call.response.ok).toBe(true);
    expect(call.body.text).toContain("Feldern wie &lt;Name&gt; &amp; &lt;Ort&gt;");
    expect(call.body.text).toContain("Recht: Zeichen wie &lt;b&gt; &amp; Co.</a>");
    expect(call.body.text).not.toMatch(/<Name>|<Ort>| & /);
    // The fake parses like Telegram: the visible text has the characters back.
    expect(call.response.result.text).toContain("Feldern wie <Name> & <Ort>");
  });

  it("escapes < and & in the mayor's own words when showing them (/meine_daten)", async () => {
    const p = mayor();
    await ask(p, "Gilt <b>das</b> & auch für Vereine?");
    await h.send(textUpdate("/meine_daten", { from: p }));
    const summary = h.api.sent(p.id).find((c) => c.body.text.includes("Ihre letzten Fragen"));
    expect(summary?.response.ok).toBe(true);
    expect(summary!.body.text).toContain("„Gilt &lt;b&gt;das&lt;/b&gt; &amp; auch für Vereine?“");
  });

  it("/themen offers example questions as buttons; pressing one asks it", async () => {
    const p = mayor();
    await h.send(textUpdate("/themen", { from: p }));
    const menu = h.api.sent(p.id).at(-1)!;
    const data = buttonData(menu, /unfallversichert/);
    expect(data).toBe("tq:0");
    await h.send(callbackUpdate(data, { chatId: p.id, messageId: sentMessage(menu).message_id }, p));
    const answer = h.api.sent(p.id).at(-1)!;
    expect(answer.body.text).toContain("<b>Ihre Frage: „Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?“</b>");
    expect(answer.body.text).toContain("Unfallkasse");
    expect(h.api.callsTo("answerCallbackQuery").length).toBeGreaterThan(0);
  });

  it("processes a re-sent update (same update_id) only once", async () => {
    const p = mayor();
    const update = textUpdate("Sind Helfer beim Dorffest versichert?", { from: p });
    await h.send(update);
    await h.send(structuredClone(update));
    expect(h.api.sent(p.id)).toHaveLength(1);
    expect(await h.core.store.recentTurns("telegram", String(p.id), 10)).toHaveLength(1);
  });

  it("answers an unknown command with a friendly German hint", async () => {
    const p = mayor();
    await h.send(textUpdate("/wetter", { from: p }));
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("Diesen Befehl kenne ich nicht");
  });

  it("/datenschutz shows the privacy note", async () => {
    const p = mayor();
    await h.send(textUpdate("/datenschutz", { from: p }));
    const msg = h.api.sent(p.id).at(-1)!;
    expect(msg.body.text).toMatch(/^<b>Datenschutz beim Ortslotsen<\/b>/);
    expect(msg.body.text).toContain("/loeschen");
  });

  it("/meine_daten summarises what is stored and sends it as JSON; /loeschen deletes after the confirm button", async () => {
    const p = mayor();
    await ask(p, "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?");
    await h.send(textUpdate("/meine_daten", { from: p }));
    const summary = h.api.sent(p.id).at(-1)!.body.text;
    expect(summary).toContain("1 Nachricht an Ortslotse, davon 1 Frage (1 beantwortet)");
    const doc = h.api.callsTo("sendDocument").find((c) => String(c.body.chat_id) === String(p.id));
    expect(doc).toBeDefined();
    const file = JSON.parse(doc!.body._files[0].content);
    expect(file.turns).toHaveLength(1);

    await h.send(textUpdate("/loeschen", { from: p }));
    const confirm = h.api.sent(p.id).at(-1)!;
    expect(confirm.body.text).toContain("nicht rückgängig");
    // Until the button is pressed nothing is deleted.
    expect((await h.core.store.exportUserData("telegram", String(p.id))).turns).toHaveLength(1);
    await h.send(callbackUpdate(buttonData(confirm, /Ja/), { chatId: p.id, messageId: sentMessage(confirm).message_id }, p));
    expect((await h.core.store.exportUserData("telegram", String(p.id))).turns).toHaveLength(0);
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("1 gespeicherter Eintrag über Sie ist gelöscht");
  });

  it("/mensch with a message opens a ticket that keeps the message", async () => {
    const p = mayor();
    await h.send(textUpdate("/mensch Bitte rufen Sie mich wegen unseres Dorffests an.", { from: p }));
    const ticket = (await h.core.store.listTickets()).find((t) => t.conversationId === String(p.id));
    expect(ticket).toMatchObject({ reason: "person_requested" });
    expect(ticket!.messages.map((m) => m.text).join(" ")).toContain("Dorffests");
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain(`Ihre Vorgangsnummer: ${ticket!.id}`);
  });

  it("/mensch with words after a question: the words are the Vorgang; without words the last real question, once", async () => {
    const p = mayor();
    const mine = async () => (await h.core.store.listTickets()).filter((t) => t.conversationId === String(p.id));
    await h.send(textUpdate("Wer zahlt, wenn sich ein Helfer beim Rasenmähen verletzt?", { from: p }));
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("Unfallkasse");
    await h.send(textUpdate("/mensch Bitte rufen Sie mich an wegen der Friedhofssatzung.", { from: p }));
    expect((await mine()).map((t) => t.question)).toEqual(["Bitte rufen Sie mich an wegen der Friedhofssatzung."]);
    // A command is no question to hand over; the same question handed over twice is one Vorgang.
    const q = "Welche Windkraftanlagen sind in der VG Ruwer geplant?";
    await h.send(textUpdate(q, { from: p }));
    await h.send(textUpdate("/fristen", { from: p }));
    await h.send(textUpdate("/mensch", { from: p }));
    const now = await mine();
    expect(now.map((t) => t.question).sort()).toEqual(["Bitte rufen Sie mich an wegen der Friedhofssatzung.", q].sort());
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain(`zu Ihrer offenen Anfrage Nr. ${now.find((t) => t.question === q)!.id} hinzugefügt`);
  });
});
