import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../support/core.js";
import { webSessionId } from "../support/web-session.js";

describe("hostile and broken input to the web chat and the HTTP server", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp({ RATE_LIMIT_PER_MINUTE: "1000" });
  });
  afterAll(async () => app.cleanup());

  const post = (path: string, body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) =>
    fetch(app.baseUrl + path, { method: "POST", headers, body });

  it("rejects an oversize body with 413 and a German message, and stays up", async () => {
    // Close the connection: the server stops reading mid-upload, so this socket must not be reused.
    const r = await post("/api/chat", JSON.stringify({ text: "a".repeat(400_000) }), { "content-type": "application/json", connection: "close" });
    expect(r.status).toBe(413);
    expect((await r.json()).error).toBe("Anfrage zu groß.");
    expect((await fetch(app.baseUrl + "/health")).status).toBe(200);
  });

  it.each([
    ["broken JSON", "{text:"],
    ["wrong type", JSON.stringify({ text: 42 })],
    ["missing field", JSON.stringify({})],
    ["array", "[]"],
  ])("answers %s with 400 and a German message", async (_name, body) => {
    const r = await post("/api/chat", body);
    expect(r.status).toBe(400);
    expect((await r.json()).error).toMatch(/Bitte senden Sie Ihre Frage als Text/);
  });

  it("answers broken UTF-8, control and zero-width characters without crashing, and stores clean text", async () => {
    const bytes = Buffer.concat([Buffer.from('{"text":"Dorfladen \u200B\\u0007Rechtsform '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('?"}')]);
    const r = await post("/api/chat", bytes);
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(["answer", "handover"]).toContain(body.action);
    const cookie = webSessionId(r.headers.get("set-cookie")!);
    const [turn] = await app.core.store.recentTurns("web", cookie, 1);
    expect(turn.question).not.toMatch(/[\u0000-\u0008\u200B\uFFFD]/);
    expect(turn.question).toMatch(/^Dorfladen Rechtsform/);
  });

  it("answers binary garbage and emoji-only input with a hint, not a crash", async () => {
    for (const text of ["\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016", "😀😀😀🎉🎉🎉🙈🙈🙈👍👍👍👍👍👍👍👍"]) {
      const r = await post("/api/chat", JSON.stringify({ text }));
      expect(r.status).toBe(200);
      expect((await r.json()).text).toMatch(/Bitte schreiben Sie Ihre Frage/);
    }
  });

  it("answers feedback for a turn of someone else with 404 and changes nothing", async () => {
    const a = await post("/api/chat", JSON.stringify({ text: "Welche Rechtsform passt für einen Dorfladen?" }));
    const turnId = (await a.json()).turnId;
    const b = await post("/api/chat/feedback", JSON.stringify({ turnId, value: -1 }));
    expect(b.status).toBe(404);
    expect((await app.core.store.getTurn(turnId))!.feedback).toBeUndefined();
    expect(await app.core.store.listTickets()).toEqual([]);
  });

  it("sends security headers and answers unknown paths with 404: JSON for programs, a German page for browsers", async () => {
    const r = await fetch(app.baseUrl + "/");
    expect(r.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    const n = await fetch(app.baseUrl + "/../../etc/passwd");
    expect(n.status).toBe(404);
    expect((await n.json()).error).toBe("Nicht gefunden.");
    // A browser gets a page in German with the way back, not raw JSON.
    const page = await fetch(app.baseUrl + "/chatt", { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(page.status).toBe(404);
    const text = await page.text();
    expect(text).toContain("Diese Seite gibt es nicht");
    expect(text).toContain('href="/"');
  });
});
