import { afterEach, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";
import type { Incoming } from "../../src/core/types.js";

const msg = (text: string, userId: string): Incoming => ({ channel: "telegram", conversationId: userId, userId, isGroup: false, text });

describe("access and abuse protection", () => {
  let core: Awaited<ReturnType<typeof makeCore>> | undefined;
  afterEach(async () => core?.cleanup());

  it("limits questions per user per minute with a friendly note, keeps the question, and leaves others alone", async () => {
    core = await makeCore({ RATE_LIMIT_PER_MINUTE: "3" });
    for (let i = 0; i < 3; i++) expect((await core.assistant.handle(msg("Welche Rechtsform passt für einen Dorfladen?", "a"))).action).toBe("answer");
    const limited = await core.assistant.handle(msg("Noch eine Frage zum Dorfladen", "a"));
    expect(limited.action).toBe("smalltalk");
    expect(limited.text).toMatch(/Bitte warten Sie eine Minute/);
    // Honest: the message is kept for staff, but nobody answers it unless the mayor sends it again.
    expect(limited.text).toMatch(/nicht beantwortet/);
    expect((await core.store.getTurn(limited.turnId!))!.question).toBe("Noch eine Frage zum Dorfladen");
    expect((await core.assistant.handle(msg("Welche Rechtsform passt für einen Dorfladen?", "b"))).action).toBe("answer");
  });

  it("in invite mode, only people who redeemed a code may ask; a code works once", async () => {
    core = await makeCore({ ACCESS_MODE: "invite", CONTACT_TEXT: "Leitstelle Familie, kontakt@example.org" });
    await core.store.createInvite("CODE-123456", "staff");
    const stranger = await core.assistant.handle(msg("Welche Rechtsform passt für einen Dorfladen?", "x"));
    expect(stranger.action).toBe("refuse");
    expect(stranger.text).toMatch(/Einladungscode.*Leitstelle Familie, kontakt@example.org/s);
    const welcome = await core.assistant.handle(msg("/start CODE-123456", "x"));
    expect(welcome.text).toMatch(/Zugang ist freigeschaltet/);
    expect((await core.assistant.handle(msg("Welche Rechtsform passt für einen Dorfladen?", "x"))).action).toBe("answer");
    const reused = await core.assistant.handle(msg("/start CODE-123456", "y"));
    expect(reused.text).toMatch(/ungültig oder wurde schon benutzt/);
    expect((await core.assistant.handle(msg("Hallo", "y"))).action).toBe("refuse");
    // "/mensch" and the hand-over button go around handle(): strangers still open no ticket.
    expect((await core.assistant.requestHuman(msg("", "y"))).action).toBe("refuse");
    expect(await core.store.listTickets()).toEqual([]);
  });
});
