import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../support/core.js";

describe("health and storage failures are visible, never hidden", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => app?.cleanup().catch(() => undefined));

  it("reports ok while storage and index work", async () => {
    const r = await fetch(`${app.baseUrl}/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: "ok" });
  });

  it("shows channels and index size only to the machine itself, not through a proxy", async () => {
    const local = (await (await fetch(`${app.baseUrl}/health`)).json()) as Record<string, unknown>;
    expect(local.channels).toBeDefined();
    expect(local.chunks).toBeGreaterThan(0);
    const proxied = (await (await fetch(`${app.baseUrl}/health`, { headers: { "x-forwarded-for": "203.0.113.7" } })).json()) as Record<string, unknown>;
    expect(proxied).toEqual({ status: "ok" });
  });

  it("does not claim a question is saved when the store failed, and /health says 503 naming the storage", async () => {
    await app.core.store.close();
    const res = await fetch(`${app.baseUrl}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "Bitte rufen Sie mich zurück." }) });
    const body = (await res.json().catch(() => ({}))) as { text?: string; error?: string };
    expect(`${body.text ?? ""}${body.error ?? ""}`).not.toMatch(/ist gespeichert|Vorgangsnummer/);
    const h = await fetch(`${app.baseUrl}/health`);
    expect(h.status).toBe(503);
    const hb = (await h.json()) as { status: string; problems: string[] };
    expect(hb.status).toBe("error");
    expect(hb.problems.join(" ")).toMatch(/Speicher/);
  });
});
