import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RecipientGoneError } from "../../../src/core/ports.js";
import { startApp } from "../../support/core.js";
import { cardOf, cardText, mentionActivity, postActivity, startTeamsCapture, teamsActivity, type TeamsCapture } from "../../support/teams-capture.js";

const STAFF = { id: "29:staff", name: "Frau Kreis", aadObjectId: "aad-staff-1" };
const OTHER = { id: "29:nobody", name: "Herr Gast", aadObjectId: "aad-guest" };
const STAFF_CHANNEL = "19:staff@thread.tacv2";
const MAYOR = { id: "a:mayor-1", conversationType: "personal" };

describe("Teams proactive sends, staff channel and hand-over flow", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let cap: TeamsCapture;
  const teams = () => app.channels.find((c) => c.name === "teams")!;

  beforeAll(async () => {
    cap = await startTeamsCapture();
    app = await startApp({ TEAMS_ALLOW_UNAUTHENTICATED: "true", RATE_LIMIT_PER_MINUTE: "1000", TEAMS_STAFF_USERS: "aad-staff-1, 29:other-staff" });
  });
  afterAll(async () => {
    await app?.cleanup();
    await cap?.close();
  });
  beforeEach(() => cap.clear());

  it("sends proactively through the Sender to …/v3/conversations/<id>/activities", async () => {
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "hilfe", conversation: { id: "a:pro-1", conversationType: "personal" } }));
    cap.clear();
    const conv = await app.core.store.getConversation("teams", "a:pro-1");
    await teams().sender.send(conv!, { kind: "digest", text: "Wochenüberblick\n• Neu: Dorfladen https://example.org/x" });
    const [sent] = cap.messages("a:pro-1");
    expect(sent.path).toBe("/v3/conversations/a%3Apro-1/activities");
    expect(sent.body.text).toContain("Wochenüberblick<br>• Neu: Dorfladen");
    expect(sent.body.text).toContain('<a href="https://example.org/x">');
  });

  it("posts a digest to the channel itself, not into the thread it was switched on from", async () => {
    const thread = { id: "19:vg@thread.tacv2;messageid=99", conversationType: "channel", isGroup: true };
    await postActivity(app.baseUrl, mentionActivity(cap.serviceUrl, "digest an", { conversation: thread }));
    cap.clear();
    const [sub] = (await app.core.store.listSubscriptions()).filter((s) => s.conversationId.startsWith("19:vg"));
    const conv = await app.core.store.getConversation("teams", sub.conversationId);
    await teams().sender.send(conv!, { kind: "digest", text: "Wochenüberblick" });
    expect(cap.messages("19:vg@thread.tacv2")).toHaveLength(1);
  });

  it("turns 403/404 from the Bot Framework into RecipientGoneError (bot removed, chat deleted)", async () => {
    for (const [id, status, code] of [["a:gone-403", 403, "BotNotInConversationRoster"], ["a:gone-404", 404, "ConversationNotFound"]] as const) {
      await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "hilfe", conversation: { id, conversationType: "personal" } }));
      cap.failFor(new RegExp(`^${id}$`), status, code);
      const conv = await app.core.store.getConversation("teams", id);
      await expect(teams().sender.send(conv!, { kind: "digest", text: "x" })).rejects.toBeInstanceOf(RecipientGoneError);
    }
    await expect(
      teams().sender.send({ channel: "teams", conversationId: "x", isGroup: false, reference: { nonsense: true } }, { kind: "digest", text: "x" }),
    ).rejects.not.toBeInstanceOf(RecipientGoneError);
  });

  it("lets only staff register a staff channel, and only in a group or channel", async () => {
    await postActivity(app.baseUrl, mentionActivity(cap.serviceUrl, "staff registrieren", { from: OTHER, conversation: { id: STAFF_CHANNEL, conversationType: "channel", isGroup: true } }));
    expect(cap.messages(STAFF_CHANNEL)[0].body.text).toContain("nur Mitarbeitende");
    expect(await app.core.store.getState("teams:staffConversation")).toBeFalsy();

    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "staff registrieren", from: STAFF, conversation: { id: "a:staff-dm", conversationType: "personal" } }));
    expect(cap.messages("a:staff-dm")[0].body.text).toContain("Teams-Kanal oder Gruppenchat");
    expect(await app.core.store.getState("teams:staffConversation")).toBeFalsy();

    cap.clear();
    const thread = `${STAFF_CHANNEL};messageid=555`;
    await postActivity(app.baseUrl, mentionActivity(cap.serviceUrl, "staff registrieren", { from: STAFF, conversation: { id: thread, conversationType: "channel", isGroup: true } }));
    expect(cap.messages(thread)[0].body.text).toContain("Team-Kanal des Ortslotsen");
    expect(await app.core.store.getState("teams:staffConversation")).toBe(STAFF_CHANNEL);
  });

  it("hands a Teams mayor's question to the Teams staff channel; staff claim and answer; the mayor gets the answer", async () => {
    expect(await app.core.store.getState("teams:staffConversation")).toBe(STAFF_CHANNEL);
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "Ich möchte bitte mit einem Menschen sprechen wegen unseres Dorffests.", conversation: MAYOR }));
    const ticket = await app.core.store.findOpenTicket("teams", MAYOR.id);
    expect(ticket).toBeDefined();
    expect(cap.messages(MAYOR.id)[0].body.text).toContain(`Vorgangsnummer: ${ticket!.id}`);

    // The ticket card: a new post in the staff channel with buttons and an answer field.
    const [post] = cap.messages(STAFF_CHANNEL);
    expect(post.path).toBe(`/v3/conversations/${encodeURIComponent(STAFF_CHANNEL)}/activities`);
    const card = cardOf(post);
    expect(cardText(card)).toContain(`Vorgang Nr. ${ticket!.id}`);
    expect(cardText(card)).toContain("OB Test");
    expect(card.body.some((e: any) => e.type === "Input.Text" && e.id === "answer")).toBe(true);
    const byAction = Object.fromEntries(card.actions.map((a: any) => [a.data.action, a]));
    expect(byAction.staff_claim.title).toBe("Übernehmen");
    expect(byAction.staff_close.title).toBe("Erledigt");
    expect(byAction.staff_answer.title).toBe("Antwort senden");
    const cardId = "r-staff-card";

    // A non-staff member of the channel cannot claim.
    cap.clear();
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { value: byAction.staff_claim.data, replyToId: cardId, from: OTHER, conversation: { id: STAFF_CHANNEL, conversationType: "channel" } }));
    expect(cap.messages(STAFF_CHANNEL)[0].body.text).toContain("nur Mitarbeitende");
    expect((await app.core.store.getTicket(ticket!.id))?.status).toBe("open");
    expect(cap.updates()).toHaveLength(0);

    // Staff claim: ticket claimed, card updated.
    cap.clear();
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { value: byAction.staff_claim.data, replyToId: cardId, from: STAFF, conversation: { id: STAFF_CHANNEL, conversationType: "channel" } }));
    const claimed = await app.core.store.getTicket(ticket!.id);
    expect(claimed?.status).toBe("claimed");
    expect(claimed?.staffMember).toContain("Frau Kreis");
    expect(cap.updates(STAFF_CHANNEL).some((u) => u.activityId === cardId)).toBe(true);

    // Staff answer from the card's input field → delivered proactively into the mayor's chat.
    cap.clear();
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, {
      value: { ...byAction.staff_answer.data, answer: "Ja, Ihre Helfer sind über die Unfallkasse versichert." },
      replyToId: cardId, from: STAFF, conversation: { id: STAFF_CHANNEL, conversationType: "channel" },
    }));
    const [delivered] = cap.messages(MAYOR.id);
    expect(delivered.path).toBe(`/v3/conversations/${encodeURIComponent(MAYOR.id)}/activities`);
    expect(delivered.body.text).toContain(`Anfrage Nr. ${ticket!.id}`);
    expect(delivered.body.text).toContain("Unfallkasse versichert");
    const answered = await app.core.store.getTicket(ticket!.id);
    expect(answered?.status).toBe("answered");
    expect(cap.messages(STAFF_CHANNEL).map((m) => m.body.text).join(" ")).toContain("zugestellt");
    const updatedCard = cardOf(cap.updates(STAFF_CHANNEL).at(-1));
    expect(cardText(updatedCard)).toContain("Antwort des Teams");
  });

  it("delivers a staff answer given elsewhere (core.handover.answer, e.g. from /staff) into the mayor's Teams chat", async () => {
    const mayor = { id: "a:mayor-2", conversationType: "personal" };
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "mensch", conversation: mayor }));
    const ticket = await app.core.store.findOpenTicket("teams", mayor.id);
    cap.clear();
    const res = await app.core.handover.answer(ticket!.id, "Team Kreis", "Wir rufen Sie morgen an.");
    expect(res.delivered).toBe(true);
    const [msg] = cap.messages(mayor.id);
    expect(msg.body.text).toContain("Wir rufen Sie morgen an.");
    // The staff channel's card shows the answer (updated via the stored card reference), sent after the reply.
    await app.core.delivery.noticesSent();
    expect(cap.updates(STAFF_CHANNEL).length).toBeGreaterThan(0);
  });

  it("a staff answer that cannot be delivered keeps the ticket open and tells staff", async () => {
    const mayor = { id: "a:mayor-gone", conversationType: "personal" };
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "mensch", conversation: mayor }));
    const ticket = await app.core.store.findOpenTicket("teams", mayor.id);
    cap.clear();
    cap.failFor(/^a:mayor-gone$/, 403, "BotNotInConversationRoster");
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, {
      value: { action: "staff_answer", ticketId: ticket!.id, answer: "Antwort" }, replyToId: "c2", from: STAFF, conversation: { id: STAFF_CHANNEL, conversationType: "channel" },
    }));
    expect((await app.core.store.getTicket(ticket!.id))?.status).toBe("open");
    expect(cap.messages(STAFF_CHANNEL).map((m) => m.body.text).join(" ")).toContain("nicht zugestellt");
  });

  it("posts what the mayor adds into the ticket card's thread, and re-posts overdue tickets", async () => {
    const mayor = { id: "a:mayor-4", conversationType: "personal" };
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "mensch", conversation: mayor }));
    const ticket = await app.core.store.findOpenTicket("teams", mayor.id);
    // Staff notices go out after the mayor's reply, from the store's queue.
    await app.core.delivery.noticesSent();
    const [cardPost] = cap.messages(STAFF_CHANNEL);
    const cardId = JSON.parse((await app.core.store.getState(`teams:ticketCard:${ticket!.id}`))!).activityId as string;
    expect(cardId).toBeTruthy();
    expect(cardOf(cardPost)).toBeDefined();

    cap.clear();
    // The mayor names the Vorgang, so the message joins it (by topic alone it would not).
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: `Zu Nr. ${ticket!.id}: Ich möchte bitte mit einem Menschen sprechen, es eilt.`, conversation: mayor }));
    expect((await app.core.store.findOpenTicket("teams", mayor.id))?.id).toBe(ticket!.id);
    await app.core.delivery.noticesSent();
    const [note] = cap.messages(`${STAFF_CHANNEL};messageid=${cardId}`);
    expect(note.body.text).toContain(`Vorgang Nr. ${ticket!.id}`);
    expect(note.body.text).toContain("es eilt");
    expect(cap.updates(STAFF_CHANNEL).some((u) => u.activityId === cardId)).toBe(true);

    cap.clear();
    const reminded = await app.core.handover.remindOverdue(1, new Date(Date.now() + 3 * 3600_000));
    expect(reminded).toBeGreaterThan(0);
    await app.core.delivery.noticesSent();
    const texts = cap.messages(STAFF_CHANNEL).map((m) => cardText(cardOf(m)));
    expect(texts.some((t) => t.includes(`Erinnerung: offener Vorgang Nr. ${ticket!.id}`))).toBe(true);
  });

  it("a staff member by Teams user id (not AAD id) may close a ticket", async () => {
    const mayor = { id: "a:mayor-3", conversationType: "personal" };
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "mensch", conversation: mayor }));
    const ticket = await app.core.store.findOpenTicket("teams", mayor.id);
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, {
      value: { action: "staff_close", ticketId: ticket!.id }, replyToId: "c3", from: { id: "29:other-staff", name: "Herr Amt" }, conversation: { id: STAFF_CHANNEL, conversationType: "channel" },
    }));
    expect((await app.core.store.getTicket(ticket!.id))?.status).toBe("closed");
  });

  it("replaces the ticket card with a note when the mayor deletes their data", async () => {
    const mayor = { id: "a:mayor-5", conversationType: "personal" };
    const from = { id: "a:mayor-5", name: "OB Löscht" };
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "Ich möchte bitte mit einem Menschen sprechen wegen der Friedhofsmauer.", conversation: mayor, from }));
    const ticket = await app.core.store.findOpenTicket("teams", mayor.id);
    await app.core.delivery.noticesSent();
    const cardId = JSON.parse((await app.core.store.getState(`teams:ticketCard:${ticket!.id}`))!).activityId as string;

    cap.clear();
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "löschen", conversation: mayor, from }));
    const yes = cardOf(cap.messages(mayor.id)[0]).actions.find((a: any) => a.data.action === "delete_confirm");
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { value: yes.data, replyToId: "del-card", conversation: mayor, from }));
    await app.core.delivery.noticesSent();

    expect(await app.core.store.getTicket(ticket!.id)).toBeUndefined();
    const update = cap.updates(STAFF_CHANNEL).find((u) => u.activityId === cardId);
    expect(update?.body.text).toContain(`Vorgang Nr. ${ticket!.id} wurde auf Wunsch der Person gelöscht`);
    expect(JSON.stringify(update?.body)).not.toContain("Friedhofsmauer");
    expect(JSON.stringify(update?.body)).not.toContain("OB Löscht");
    expect(await app.core.store.getState(`teams:ticketCard:${ticket!.id}`)).toBeUndefined();
  });

  // Last: the retention run 200 days ahead removes what the other tests left, too.
  it("after the retention period, the card of a closed Vorgang is replaced by a note; nothing new is posted", async () => {
    const mayor = { id: "a:mayor-6", conversationType: "personal" };
    const from = { id: "a:mayor-6", name: "OB Alt" };
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "Ich möchte bitte mit einem Menschen sprechen wegen der Kirchhofslinde.", conversation: mayor, from }));
    const ticket = await app.core.store.findOpenTicket("teams", mayor.id);
    await app.core.delivery.noticesSent();
    const cardId = JSON.parse((await app.core.store.getState(`teams:ticketCard:${ticket!.id}`))!).activityId as string;
    await app.core.handover.close(ticket!.id, "Frau Kreis");
    await app.core.delivery.noticesSent();

    cap.clear();
    const later = new Date(Date.now() + 200 * 86_400_000);
    await app.core.handover.expireStale(180, later);
    await app.core.handover.purgeExpired(180, later);
    await app.core.delivery.noticesSent();

    expect(await app.core.store.getTicket(ticket!.id)).toBeUndefined();
    const update = cap.updates(STAFF_CHANNEL).find((u) => u.activityId === cardId);
    expect(update?.body.text).toContain(`Vorgang Nr. ${ticket!.id} wurde nach Ablauf der Aufbewahrungsfrist gelöscht`);
    expect(JSON.stringify(update?.body)).not.toContain("Kirchhofslinde");
    expect(JSON.stringify(update?.body)).not.toContain("OB Alt");
    expect(cap.messages(STAFF_CHANNEL)).toEqual([]);
    expect(await app.core.store.listState("teams:ticketCard:")).toEqual([]);
    // The staff channel's address outlives the purge of unused chat addresses: the next Vorgang still arrives.
    expect(await app.core.store.getConversation("teams", STAFF_CHANNEL)).toBeUndefined();
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "Ich möchte bitte mit einem Menschen sprechen.", conversation: { id: "a:mayor-7", conversationType: "personal" } }));
    await app.core.delivery.noticesSent();
    expect(cap.messages(STAFF_CHANNEL).map((m) => JSON.stringify(m.body))).toEqual([expect.stringContaining("Neuer Vorgang")]);
  });
});
