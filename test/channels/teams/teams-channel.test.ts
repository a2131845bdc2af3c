import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startApp } from "../../support/core.js";
import { cardOf, cardText, mentionActivity, postActivity, startTeamsCapture, teamsActivity, type TeamsCapture } from "../../support/teams-capture.js";
import { TURN_REFERENCE_PREFIX } from "../../../src/store/store.js";

const QUESTION = "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?";

describe("Teams channel end to end (real activities to /api/messages, replies captured at serviceUrl)", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let cap: TeamsCapture;

  beforeAll(async () => {
    cap = await startTeamsCapture();
    app = await startApp({ TEAMS_ALLOW_UNAUTHENTICATED: "true", RATE_LIMIT_PER_MINUTE: "1000" });
  });
  afterAll(async () => {
    await app?.cleanup();
    await cap?.close();
  });
  beforeEach(() => cap.clear());

  const ask = async (over: Record<string, unknown>) => {
    const act = teamsActivity(cap.serviceUrl, over);
    const res = await postActivity(app.baseUrl, act);
    return { act, res };
  };

  /** Teams' own 👍/👎 (feedback loop): an invoke naming the answer by its activity id. */
  const feedbackInvoke = (conversationId: string, replyToId: string, reaction: "like" | "dislike", feedbackText = "") =>
    teamsActivity(cap.serviceUrl, {
      type: "invoke", name: "message/submitAction", replyToId, conversation: { id: conversationId, conversationType: "personal" },
      value: { actionName: "feedback", actionValue: { reaction, feedback: JSON.stringify({ feedbackText }) } },
    });
  /** The activity id Teams gave our answer (the capture answers every POST with a fresh id). */
  const answerIdIn = async (conversationId: string) => {
    const rows = await app.core.store.listState(`${TURN_REFERENCE_PREFIX}teams:${conversationId}:`);
    expect(rows).toHaveLength(1);
    return { activityId: rows[0].key.split(":").at(-1)!, turnId: Number(rows[0].value) };
  };

  it("answers as Teams shows AI answers: text with [n], the AI label and citations, Stand, disclaimer, feedback loop, hand-over", async () => {
    const { act, res } = await ask({ text: QUESTION, conversation: { id: "a:card-1", conversationType: "personal" } });
    expect(res.status).toBe(200);
    const [reply] = cap.messages("a:card-1");
    expect(reply).toBeDefined();
    // A reply to the question (botbuilder posts to …/activities/{replyToId}).
    expect(reply.activityId).toBe(act.id);
    const text = String(reply.body.text);
    expect(text).toContain("Unfallkasse");
    expect(text).toMatch(/Quellen: \[1\]/);
    expect(text).toMatch(/Stand: /);
    expect(text).toContain("keine Rechtsberatung");
    const [entity] = reply.body.entities;
    expect(entity).toMatchObject({ type: "https://schema.org/Message", "@type": "Message", "@context": "https://schema.org", additionalType: ["AIGeneratedContent"] });
    expect(entity.citation[0]).toMatchObject({
      "@type": "Claim", position: 1,
      appearance: { "@type": "DigitalDocument", name: "FAQ: Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?", url: "https://www.ukrlp.de/" },
    });
    expect(entity.citation[0].appearance.abstract.length).toBeLessThanOrEqual(160);
    expect(entity.citation.length).toBeLessThanOrEqual(20);
    expect(reply.body.channelData.feedbackLoopEnabled).toBe(true);
    expect(reply.body.suggestedActions.actions).toContainEqual({ type: "imBack", title: "An das Team weitergeben", value: "mensch" });
    // The conversation reference is stored for staff answers and digests.
    const conv = await app.core.store.getConversation("teams", "a:card-1");
    expect((conv?.reference as any).serviceUrl).toBe(cap.serviceUrl);
  });

  it("stores 👍 from Teams' feedback loop; a second reaction changes nothing", async () => {
    await ask({ text: QUESTION, conversation: { id: "a:fb-1", conversationType: "personal" } });
    const { activityId, turnId } = await answerIdIn("a:fb-1");
    cap.clear();
    const res = await postActivity(app.baseUrl, feedbackInvoke("a:fb-1", activityId, "like"));
    expect(res.status).toBe(200);
    expect((await app.core.store.getTurn(turnId))?.feedback).toBe(1);
    expect(cap.messages("a:fb-1").map((m) => m.body.text).join(" ")).toContain("Danke für Ihre Rückmeldung");
    cap.clear();
    await postActivity(app.baseUrl, feedbackInvoke("a:fb-1", activityId, "dislike"));
    expect((await app.core.store.getTurn(turnId))?.feedback).toBe(1);
    expect(cap.messages("a:fb-1")[0].body.text).toContain("bereits erhalten");
  });

  it("👎 with a comment hands the question over: ticket stored with the comment, mayor told the number", async () => {
    await ask({ text: QUESTION, conversation: { id: "a:fb-2", conversationType: "personal" } });
    const { activityId } = await answerIdIn("a:fb-2");
    cap.clear();
    await postActivity(app.baseUrl, feedbackInvoke("a:fb-2", activityId, "dislike", "Gilt das auch für Kinder?"));
    const ticket = await app.core.store.findOpenTicket("teams", "a:fb-2");
    expect(ticket?.reason).toBe("thumbs_down");
    expect(ticket?.question).toBe(QUESTION);
    expect(ticket?.userName).toBe("OB Test");
    expect((await app.core.store.getTicket(ticket!.id))?.messages.map((m) => m.text)).toContain("Kommentar zur Bewertung: Gilt das auch für Kinder?");
    const told = cap.messages("a:fb-2").map((m) => m.body.text ?? cardText(cardOf(m))).join("\n");
    expect(told).toContain(`Vorgangsnummer: ${ticket!.id}`);
  });

  it("'An das Team weitergeben' (the suggested reply) opens a ticket for that answer", async () => {
    await ask({ text: QUESTION, conversation: { id: "a:ho-1", conversationType: "personal" } });
    cap.clear();
    await ask({ text: "mensch", conversation: { id: "a:ho-1", conversationType: "personal" } });
    const ticket = await app.core.store.findOpenTicket("teams", "a:ho-1");
    expect(ticket?.reason).toBe("person_requested");
    expect(ticket?.question).toBe(QUESTION);
  });

  it("refuses feedback for an answer of another conversation", async () => {
    await ask({ text: QUESTION, conversation: { id: "a:own-1", conversationType: "personal" } });
    const { activityId, turnId } = await answerIdIn("a:own-1");
    cap.clear();
    await postActivity(app.baseUrl, feedbackInvoke("a:other-1", activityId, "dislike"));
    expect((await app.core.store.getTurn(turnId))?.feedback).toBeUndefined();
    expect(cap.messages("a:other-1")[0].body.text).toContain("keiner Antwort mehr zuordnen");
    // Old answer cards still in a chat keep working with their buttons, bound to their own conversation.
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, {
      value: { action: "feedback", turnId, value: -1 }, conversation: { id: "a:other-1", conversationType: "personal" },
    }));
    expect((await app.core.store.getTurn(turnId))?.feedback).toBeUndefined();
    expect(cap.messages("a:other-1").at(-1)!.body.text).toContain("anderen Unterhaltung");
  });

  it("stays silent in a group chat when not mentioned, and stores nothing", async () => {
    const res = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, {
      text: QUESTION, conversation: { id: "19:silent@thread.v2", conversationType: "groupChat", isGroup: true },
    }));
    expect(res.status).toBe(200);
    expect(cap.calls).toHaveLength(0);
    expect(await app.core.store.getConversation("teams", "19:silent@thread.v2")).toBeUndefined();
  });

  it("answers in a group chat when @mentioned, with the mention stripped before the core sees it", async () => {
    const act = mentionActivity(cap.serviceUrl, QUESTION, { conversation: { id: "19:g-2@thread.v2", conversationType: "groupChat", isGroup: true } });
    const res = await postActivity(app.baseUrl, act);
    expect(res.status).toBe(200);
    const [reply] = cap.messages("19:g-2@thread.v2");
    expect(String(reply.body.text)).toContain("Unfallkasse");
    const [turn] = await app.core.store.recentTurns("teams", "19:g-2@thread.v2", 1);
    expect(turn.question).toBe(QUESTION);
    expect(turn.question).not.toContain("<at>");

    // The Telegram group form "/frage …" (named in help and digest texts) works too.
    await postActivity(app.baseUrl, mentionActivity(cap.serviceUrl, `/frage ${QUESTION}`, { conversation: { id: "19:g-3@thread.v2", conversationType: "groupChat", isGroup: true } }));
    const [t3] = await app.core.store.recentTurns("teams", "19:g-3@thread.v2", 1);
    expect(t3.question).toBe(QUESTION);
  });

  it("answers in a team channel thread when mentioned", async () => {
    const conv = { id: "19:chan@thread.tacv2;messageid=1700000000000", conversationType: "channel", isGroup: true };
    await postActivity(app.baseUrl, mentionActivity(cap.serviceUrl, "hilfe", { conversation: conv }));
    const [reply] = cap.messages(conv.id);
    expect(reply.body.text).toContain("@Ortslotse");
  });

  it("welcomes on installation (conversationUpdate with the bot in membersAdded), not for other members", async () => {
    const install = teamsActivity(cap.serviceUrl, {
      type: "conversationUpdate", membersAdded: [{ id: "28:bot" }], conversation: { id: "a:new-1", conversationType: "personal" },
    });
    expect((await postActivity(app.baseUrl, install)).status).toBe(200);
    const [welcome] = cap.messages("a:new-1");
    expect(welcome.body.text).toContain("Ortslotse");
    expect(welcome.body.text).toContain("hilfe");
    expect(await app.core.store.getConversation("teams", "a:new-1")).toBeDefined();

    cap.clear();
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, {
      type: "conversationUpdate", membersAdded: [{ id: "29:someone" }], conversation: { id: "19:team@thread.tacv2", conversationType: "channel" },
    }));
    expect(cap.messages()).toHaveLength(0);
  });

  it("knows its commands as words, also with a slash", async () => {
    for (const [text, expected] of [
      ["hilfe", "So funktioniert der Ortslotse"],
      ["/themen", "Förderung"],
      ["Datenschutz", "Datenschutz beim Ortslotsen"],
      ["digest an", "Wochenüberblick ist jetzt eingeschaltet"],
      ["/digest", "eingeschaltet"],
      ["digest aus", "ausgeschaltet"],
    ] as const) {
      cap.clear();
      await ask({ text, conversation: { id: "a:cmd-1", conversationType: "personal" } });
      expect(cap.messages("a:cmd-1")[0]?.body.text, text).toContain(expected);
    }
    // "themen" offers the example questions as buttons, as Telegram's /themen does.
    cap.clear();
    await ask({ text: "themen", conversation: { id: "a:cmd-1", conversationType: "personal" } });
    const offered = cap.messages("a:cmd-1")[0].body.suggestedActions.actions;
    expect(offered.length).toBeGreaterThanOrEqual(4);
    expect(offered[0]).toMatchObject({ type: "imBack", title: offered[0].value });
    cap.clear();
    await ask({ text: "mensch", conversation: { id: "a:cmd-1", conversationType: "personal" } });
    const t = await app.core.store.findOpenTicket("teams", "a:cmd-1");
    expect(t?.reason).toBe("person_requested");
  });

  it("subscribes a channel (not the thread) to the digest", async () => {
    const conv = { id: "19:dg@thread.tacv2;messageid=42", conversationType: "channel", isGroup: true };
    await postActivity(app.baseUrl, mentionActivity(cap.serviceUrl, "digest an", { conversation: conv }));
    expect(await app.core.store.isSubscribed("teams", "19:dg@thread.tacv2")).toBe(true);
    const stored = await app.core.store.getConversation("teams", "19:dg@thread.tacv2");
    expect((stored?.reference as any).conversation.id).toBe("19:dg@thread.tacv2");
  });

  it("shows and deletes my data in a personal chat, after a confirmation button", async () => {
    const conv = { id: "a:mine-1", conversationType: "personal" };
    const from = { id: "29:mine", name: "OB Daten" };
    await ask({ text: QUESTION, conversation: conv, from });
    cap.clear();
    await ask({ text: "meine daten", conversation: conv, from });
    expect(cap.messages("a:mine-1")[0].body.text).toContain(QUESTION);
    cap.clear();
    await ask({ text: "löschen", conversation: conv, from });
    const confirm = cardOf(cap.messages("a:mine-1")[0]);
    const yes = confirm.actions.find((a: any) => a.data.action === "delete_confirm");
    cap.clear();
    await ask({ value: yes.data, replyToId: "del-card", conversation: conv, from });
    expect(cap.messages("a:mine-1")[0].body.text).toContain("gelöscht");
    expect(cap.updates("a:mine-1")[0].activityId).toBe("del-card");
    const left = await app.core.store.exportUserData("teams", "29:mine");
    expect(left.turns).toHaveLength(0);
  });

  it("keeps the question when the reply cannot be delivered: a delivery_failed ticket", async () => {
    cap.failFor(/^a:broken-1$/, 413, "MessageSizeTooBig");
    const res = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: QUESTION, conversation: { id: "a:broken-1", conversationType: "personal" } }));
    expect(res.status).toBe(200);
    const ticket = await app.core.store.findOpenTicket("teams", "a:broken-1");
    expect(ticket?.reason).toBe("delivery_failed");
    expect(ticket?.question).toBe(QUESTION);
    expect(ticket?.draftAnswer).toContain("Unfallkasse");
  });

  it("answers malformed activities with 400 and keeps working", async () => {
    for (const body of ["{not json", JSON.stringify({ text: "ohne Typ" }), JSON.stringify(teamsActivity(cap.serviceUrl, { serviceUrl: "javascript:alert(1)" })), JSON.stringify(teamsActivity(cap.serviceUrl, { conversation: {} })), "[]", "null"]) {
      const res = await postActivity(app.baseUrl, body);
      expect(res.status, body).toBe(400);
      expect((await res.json()).error).toBeTruthy();
    }
    const res = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "hilfe", conversation: { id: "a:after-bad", conversationType: "personal" } }));
    expect(res.status).toBe(200);
    expect(cap.messages("a:after-bad")).toHaveLength(1);
  });

  it("answers unknown invokes with 501, Action.Execute with a message, and ignores unknown activity types", async () => {
    const unknown = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { type: "invoke", name: "composeExtension/query", value: {} }));
    expect(unknown.status).toBe(501);
    const exec = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb: "x" } } }));
    expect(exec.status).toBe(200);
    expect((await exec.json()).type).toBe("application/vnd.microsoft.activity.message");
    const reaction = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { type: "messageReaction", reactionsAdded: [{ type: "like" }] }));
    expect(reaction.status).toBe(200);
    const badButton = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { value: { action: "feedback", turnId: "x" }, conversation: { id: "a:badbtn", conversationType: "personal" } }));
    expect(badButton.status).toBe(200);
    expect(cap.messages("a:badbtn")[0].body.text).toContain("Schaltfläche");
  });

  it("acknowledges a re-delivered activity without answering twice", async () => {
    const act = teamsActivity(cap.serviceUrl, { text: "hilfe", conversation: { id: "a:dup-1", conversationType: "personal" } });
    await postActivity(app.baseUrl, act);
    const again = await postActivity(app.baseUrl, act);
    expect(again.status).toBe(200);
    expect(cap.messages("a:dup-1")).toHaveLength(1);
  });
});
