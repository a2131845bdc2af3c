import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, type Core } from "../../src/app.js";
import { createLogger } from "../../src/logger.js";
import { testConfig } from "../support/core.js";
import type { Incoming } from "../../src/core/types.js";
import type { Understander } from "../../src/core/understand.js";

const msg = (text: string, userId: string, requestId?: string): Incoming => ({
  channel: "web", conversationId: userId, userId, userName: "OB Test", isGroup: false, text, requestId,
});

describe("ask and keepUndelivered: the core keeps every question, whatever fails", () => {
  let core: Core;
  let cleanup: () => void;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const t = testConfig();
    cleanup = t.cleanup;
    const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l)); done(); } });
    core = await createCore(t.config, createLogger("info", sink));
  });
  afterAll(async () => {
    await core.store.close();
    cleanup();
  });

  it("a failure inside the core becomes a Vorgang with the question, and the log line names the request", async () => {
    const broken = { understand: () => { throw new Error("index gone"); } } as unknown as Understander;
    const { retriever, planner } = core;
    core.assistant.useKnowledge({ retriever, planner, understander: broken });
    try {
      const reply = await core.assistant.ask(msg("Gibt es Geld für unseren Dorfladen?", "u-fail", "req-42"));
      expect(reply.action).toBe("handover");
      expect(reply.text).toContain("Ihre Frage ist gespeichert");
      expect(reply.ticket?.isNew).toBe(true);
      const ticket = await core.store.getTicket(reply.ticket!.id);
      expect(ticket).toMatchObject({ question: "Gibt es Geld für unseren Dorfladen?", reason: "llm_failure", userId: "u-fail", requestId: "req-42" });
      expect(lines.find((l) => l.msg === "core failed on a question")).toMatchObject({ requestId: "req-42" });
    } finally {
      core.assistant.useKnowledge({ retriever, planner, understander: core.understander });
    }
  });

  it("an answer the channel could not deliver becomes a delivery_failed Vorgang with the draft; a reply with a Vorgang opens none", async () => {
    const inc = msg("Wer zahlt, wenn sich ein Helfer beim Rasenmähen verletzt?", "u-deliver");
    const reply = await core.assistant.ask(inc);
    expect(reply.action).toBe("answer");
    await core.assistant.keepUndelivered(inc, reply);
    const [ticket] = await core.store.listTickets({ status: ["open"] }).then((ts) => ts.filter((t) => t.userId === "u-deliver"));
    expect(ticket).toMatchObject({ reason: "delivery_failed", draftAnswer: reply.text, question: inc.text });
    await core.assistant.keepUndelivered(inc, { ...reply, action: "handover", ticket: { id: ticket.id, isNew: true } });
    expect((await core.store.listTickets()).filter((t) => t.userId === "u-deliver")).toHaveLength(1);
  });
});
