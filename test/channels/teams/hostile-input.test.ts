import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startApp } from "../../support/core.js";
import { cardOf, cardText, postActivity, startTeamsCapture, teamsActivity, type TeamsCapture } from "../../support/teams-capture.js";

describe("Teams: bad input and failures change nothing", () => {
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

  const say = async (id: string, over: Record<string, unknown>) => {
    const res = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { conversation: { id, conversationType: "personal" }, ...over }));
    const sent = cap.messages(id).map((m) => m.body.text ?? cardText(cardOf(m))).join("\n");
    return { status: res.status, sent };
  };

  it("answers empty, whitespace, zero-width and control-character messages with a German hint", async () => {
    for (const [i, text] of ["", "   \n\t ", "\u200b\u200b\ufeff", "\u0000\u0001\u0007", "\u200f"].entries()) {
      const { status, sent } = await say(`a:empty-${i}`, { text });
      expect(status, JSON.stringify(text)).toBe(200);
      expect(sent, JSON.stringify(text)).toContain("keinen Text erhalten");
    }
  });

  it("handles a 100 KB question: reads the start, says so, stores a bounded copy", async () => {
    const long = `Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert? ${"Wir planen einen großen Arbeitseinsatz im Dorf. ".repeat(2200)}`;
    expect(long.length).toBeGreaterThan(100_000);
    const { status, sent } = await say("a:long-1", { text: long });
    expect(status).toBe(200);
    expect(sent).toContain("sehr lang");
    const [turn] = await app.core.store.recentTurns("teams", "a:long-1", 1);
    expect(turn.question.length).toBeLessThanOrEqual(10_000);
  });

  it("rejects an oversize body with 413 and never reaches the connector", async () => {
    const huge = JSON.stringify(teamsActivity(cap.serviceUrl, { text: "x".repeat(300 * 1024), conversation: { id: "a:huge", conversationType: "personal" } }));
    // Its own connection (agent: false): the server answers before reading the body and then closes it.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${app.baseUrl}/api/messages`, { method: "POST", agent: false, headers: { "content-type": "application/json" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end(huge);
    });
    expect(status).toBe(413);
    expect(cap.calls).toHaveLength(0);
  });

  it("survives broken UTF-8 in the body", async () => {
    const json = JSON.stringify(teamsActivity(cap.serviceUrl, { text: "PLACEHOLDER", conversation: { id: "a:utf-1", conversationType: "personal" } }));
    const [before, after] = json.split("PLACEHOLDER");
    const body = Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(" Dorffest versichert?"), Buffer.from(after)]);
    const res = await fetch(`${app.baseUrl}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(res.status).toBe(200);
    expect(cap.messages("a:utf-1")).toHaveLength(1);
  });

  it("answers wrongly typed fields and odd activities with 4xx or a polite reply, never a 5xx", async () => {
    const cases: Record<string, unknown>[] = [
      { text: 42 },
      { text: "hilfe", entities: "nope" },
      { type: "message", value: "not an object", text: "" },
      { type: "invoke" },
      { type: "invoke", name: "adaptiveCard/action", value: null },
      { type: "conversationUpdate", membersAdded: "bot" },
      { type: "conversationUpdate", membersAdded: [] },
      { type: "message", text: "hilfe", attachments: [{ contentType: "image/png", contentUrl: "http://127.0.0.1:1/x.png" }] },
      { type: "message", attachments: [{ contentType: "image/png", contentUrl: "http://127.0.0.1:1/x.png" }] },
      { type: "event", name: "application/vnd.microsoft/readReceipt", value: {} },
      { type: "message", value: { action: "staff_answer", ticketId: 999999, answer: "x" } },
      { type: "message", value: { action: "feedback", turnId: 999999, value: 1 } },
    ];
    for (const [i, over] of cases.entries()) {
      const res = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { conversation: { id: `a:odd-${i}`, conversationType: "personal" }, ...over }));
      expect([200, 400, 501], JSON.stringify(over)).toContain(res.status);
    }
    // An image without text gets the "text only" note; a non-staff staff button is refused.
    expect(cap.messages("a:odd-8")[0].body.text).toContain("nur Textnachrichten");
    expect(cap.messages("a:odd-10")[0].body.text).toContain("nur Mitarbeitende");
    expect(cap.messages("a:odd-11")[0].body.text).toContain("anderen Unterhaltung");
    // And the bot still answers.
    const ok = await say("a:odd-after", { text: "hilfe" });
    expect(ok.sent).toContain("So funktioniert");
  });
});
