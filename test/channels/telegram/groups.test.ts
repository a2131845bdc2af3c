import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonData, callbackUpdate, MAYOR, messageUpdate, sentMessage, TEST_BOT, textUpdate, type Person } from "../../support/telegram-api.js";
import { MSG } from "../../../src/core/messages.js";
import { telegramHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await telegramHarness();
});
afterAll(async () => {
  await h.close();
});

let nextGroup = -1001000;
const group = () => nextGroup--;
const ADMIN: Person = { id: 801, first_name: "Anton", last_name: "Admin" };
const MEMBER: Person = { id: 802, first_name: "Mia", last_name: "Mitglied" };

describe("Telegram groups and supergroups", () => {
  it("two people hand over in one group: each has an own Vorgang, export and deletion touch only their own", async () => {
    const chatId = group();
    const anna: Person = { id: 811, first_name: "Anna", last_name: "A" };
    const bernd: Person = { id: 812, first_name: "Bernd", last_name: "B" };
    await h.send(textUpdate("@ortslotse_bot Können Sie mich zurückrufen? Anna, 0651 111", { chatId, from: anna }));
    await h.send(textUpdate("@ortslotse_bot Ich möchte bitte mit einem Menschen sprechen. Bernd, 0651 222", { chatId, from: bernd }));
    const annaTicket = await h.core.store.findOpenTicket("telegram", String(chatId), String(anna.id));
    const berndTicket = await h.core.store.findOpenTicket("telegram", String(chatId), String(bernd.id));
    expect(annaTicket && berndTicket && annaTicket.id !== berndTicket.id).toBe(true);
    // The team's answer in the group names whose question it was.
    expect((await h.core.handover.answer(annaTicket!.id, "Frau Team", "Wir rufen Sie morgen an.")).delivered).toBe(true);
    expect(h.api.sent(chatId).at(-1)!.body.text).toContain(`Antwort des Teams für Anna A zu der Anfrage Nr. ${annaTicket!.id}`);
    const annasData = JSON.stringify(await h.core.store.exportUserData("telegram", String(anna.id)));
    expect(annasData).toContain("0651 111");
    expect(annasData).not.toMatch(/Bernd|0651 222/);
    await h.core.store.deleteUserData("telegram", String(bernd.id));
    expect(JSON.stringify(await h.core.store.exportUserData("telegram", String(bernd.id)))).not.toContain("0651 222");
    expect(await h.core.store.getTicket(annaTicket!.id)).toBeDefined();
  });

  it("stays silent when a group message does not address the bot", async () => {
    const chatId = group();
    await h.send(textUpdate("Sind Helfer beim Dorffest versichert?", { chatId }));
    await h.send(messageUpdate({ photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] }, { chatId }));
    expect(h.api.calls.filter((c) => c.body?.chat_id === chatId)).toHaveLength(0);
    expect(await h.core.store.recentTurns("telegram", String(chatId), 5)).toHaveLength(0);
  });

  it("answers an @mention in the forum topic it was asked in, as a reply, without the mention in the question", async () => {
    const chatId = group();
    await h.send(textUpdate("@ortslotse_bot, sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?", { chatId, threadId: 77, messageId: 4242 }));
    const [answer] = h.api.sent(chatId);
    expect(answer.body.message_thread_id).toBe(77);
    expect(answer.body.reply_parameters).toEqual({ message_id: 4242, allow_sending_without_reply: true });
    expect(answer.body.text).toContain("Unfallkasse");
    expect(answer.body.reply_markup.inline_keyboard[0]).toHaveLength(2);
    const [turn] = await h.core.store.recentTurns("telegram", `${chatId}:77`, 1);
    expect(turn.question).toBe("sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?");
    const conv = await h.core.store.getConversation("telegram", `${chatId}:77`);
    expect(conv).toMatchObject({ isGroup: true, reference: { chatId, threadId: 77 } });
  });

  it("answers a reply to one of its own messages (privacy mode delivers those)", async () => {
    const chatId = group();
    const botMsg = { message_id: 9, date: 1, chat: { id: chatId, type: "supergroup", title: "G" }, from: TEST_BOT, text: "Frühere Antwort" };
    await h.send(textUpdate("Und wie viel Förderung gibt es für einen Bürgerbus?", { chatId, replyTo: botMsg }));
    const [answer] = h.api.sent(chatId);
    expect(answer.body.text).toContain("Landmobil");
    expect(answer.body.message_thread_id).toBeUndefined();
  });

  it("does not take the hidden reply to a forum topic's first message as addressed to it", async () => {
    const chatId = group();
    const topicRoot = { message_id: 55, date: 1, chat: { id: chatId, type: "supergroup", title: "G" }, from: TEST_BOT, forum_topic_created: { name: "Fragen", icon_color: 1 } };
    await h.send(textUpdate("Wir treffen uns um acht.", { chatId, threadId: 55, replyTo: topicRoot }));
    expect(h.api.sent(chatId)).toHaveLength(0);
  });

  it("buttons under one member's answer work only for them; a colleague's press is told so and leaves them", async () => {
    const chatId = group();
    const anna: Person = { id: 821, first_name: "Anna", last_name: "A" };
    const bernd: Person = { id: 822, first_name: "Bernd", last_name: "B" };
    await h.send(textUpdate("/frage@ortslotse_bot Was sind Ehrenamtliche Bürgerprojekte?", { chatId, from: anna, messageId: 41 }));
    const answer = h.api.sent(chatId).at(-1)!;
    const down = buttonData(answer, /Nicht hilfreich/);
    const edits = h.api.callsTo("editMessageReplyMarkup").length;
    await h.send(callbackUpdate(down, { chatId, messageId: sentMessage(answer).message_id }, bernd));
    const popup = h.api.callsTo("answerCallbackQuery").at(-1)!;
    expect(popup.body).toMatchObject({ text: MSG.notYourButton, show_alert: true });
    expect(h.api.callsTo("editMessageReplyMarkup")).toHaveLength(edits);
    expect(await h.core.store.findOpenTicket("telegram", String(chatId), String(bernd.id))).toBeUndefined();
    // The asker's own press still works.
    await h.send(callbackUpdate(down, { chatId, messageId: sentMessage(answer).message_id }, anna));
    expect(h.api.callsTo("editMessageReplyMarkup")).toHaveLength(edits + 1);
    expect((await h.core.store.findOpenTicket("telegram", String(chatId), String(anna.id)))?.reason).toBe("thumbs_down");
  });

  it("answers /frage … in a group, and explains /frage without a question", async () => {
    const chatId = group();
    await h.send(textUpdate("/frage@ortslotse_bot Was sind Ehrenamtliche Bürgerprojekte?", { chatId, messageId: 31 }));
    await h.send(textUpdate("/frage", { chatId, messageId: 32 }));
    const [answer, usage] = h.api.sent(chatId);
    expect(answer.body.text).toContain("1.000 bis 3.000 Euro");
    expect(answer.body.reply_parameters.message_id).toBe(31);
    expect(usage.body.text).toContain("Bitte schreiben Sie Ihre Frage hinter /frage");
  });

  it("/digest an by a group admin subscribes the group", async () => {
    const chatId = group();
    h.api.setMember(chatId, ADMIN.id, "administrator");
    await h.send(textUpdate("/digest an", { chatId, from: ADMIN }));
    expect(h.api.callsTo("getChatMember").some((c) => c.body.chat_id === chatId && c.body.user_id === ADMIN.id)).toBe(true);
    expect(await h.core.store.isSubscribed("telegram", String(chatId))).toBe(true);
    expect(h.api.sent(chatId).at(-1)!.body.text).toContain("Wochenüberblick ist jetzt eingeschaltet");
    // The digest sender finds the chat later.
    expect(await h.core.store.getConversation("telegram", String(chatId))).toMatchObject({ reference: { chatId }, isGroup: true });

    await h.send(textUpdate("/digest", { chatId, from: MEMBER }));
    expect(h.api.sent(chatId).at(-1)!.body.text).toContain("eingeschaltet");
  });

  it("/digest an by a member who is not admin is refused", async () => {
    const chatId = group();
    h.api.setMember(chatId, MEMBER.id, "member");
    await h.send(textUpdate("/digest an", { chatId, from: MEMBER }));
    expect(await h.core.store.isSubscribed("telegram", String(chatId))).toBe(false);
    expect(h.api.sent(chatId).at(-1)!.body.text).toContain("nur Administratorinnen und Administratoren");
  });

  it("/digest in a private chat needs no admin check", async () => {
    const p: Person = { id: 803, first_name: "Paula" };
    await h.send(textUpdate("/digest an", { from: p }));
    expect(await h.core.store.isSubscribed("telegram", String(p.id))).toBe(true);
    expect(h.api.callsTo("getChatMember").some((c) => c.body.user_id === p.id)).toBe(false);
  });

  it("a group that removes the bot is unsubscribed from the digest", async () => {
    const chatId = group();
    h.api.setMember(chatId, ADMIN.id, "creator");
    await h.send(textUpdate("/digest an", { chatId, from: ADMIN }));
    expect(await h.core.store.isSubscribed("telegram", String(chatId))).toBe(true);
    await h.send({
      update_id: 99_001,
      my_chat_member: {
        chat: { id: chatId, type: "supergroup", title: "G" },
        from: { id: ADMIN.id, is_bot: false, first_name: ADMIN.first_name },
        date: 1,
        old_chat_member: { status: "member", user: TEST_BOT },
        new_chat_member: { status: "left", user: TEST_BOT },
      },
    });
    expect(await h.core.store.isSubscribed("telegram", String(chatId))).toBe(false);
  });

  it("leaves bare unknown commands to other bots, but answers ones addressed to it", async () => {
    const chatId = group();
    await h.send(textUpdate("/wetter", { chatId, from: MAYOR }));
    expect(h.api.sent(chatId)).toHaveLength(0);
    await h.send(textUpdate("/wetter@ortslotse_bot", { chatId, from: MAYOR }));
    expect(h.api.sent(chatId).at(-1)!.body.text).toContain("Diesen Befehl kenne ich nicht");
  });

  it("introduces itself once when added to a group, saying how to address it", async () => {
    const chatId = group();
    await h.send({
      update_id: 99_002,
      my_chat_member: {
        chat: { id: chatId, type: "supergroup", title: "G" },
        from: { id: ADMIN.id, is_bot: false, first_name: ADMIN.first_name },
        date: 1,
        old_chat_member: { status: "left", user: TEST_BOT },
        new_chat_member: { status: "member", user: TEST_BOT },
      },
    });
    const [hello] = h.api.sent(chatId);
    expect(hello.body.text).toContain("wenn Sie mich mit @ortslotse_bot erwähnen");
    expect(hello.body.text).toContain("/frage");
  });

  it("ignores messages from other bots, even when they mention it", async () => {
    const chatId = group();
    await h.send(textUpdate("@ortslotse_bot Sind Helfer versichert?", { chatId, from: { id: 66, first_name: "Anderer Bot", username: "other_bot", is_bot: true } as Person }));
    expect(h.api.sent(chatId)).toHaveLength(0);
  });

  it("answers an anonymous group admin (posting as the group through Telegram's bot account)", async () => {
    const chatId = group();
    const u = textUpdate("/digest an", { chatId, from: { id: 1087968824, first_name: "Group", username: "GroupAnonymousBot", is_bot: true } as Person }) as any;
    u.message.sender_chat = { id: chatId, type: "supergroup", title: "G" };
    await h.send(u);
    expect(await h.core.store.isSubscribed("telegram", String(chatId))).toBe(true);
  });

  it("keeps personal data out of groups: /meine_daten points to the private chat", async () => {
    const chatId = group();
    await h.send(textUpdate("/meine_daten", { chatId, from: MAYOR }));
    expect(h.api.sent(chatId).at(-1)!.body.text).toContain("nur im privaten Chat");
    expect(h.api.callsTo("sendDocument").some((c) => String(c.body.chat_id) === String(chatId))).toBe(false);
  });
});
