import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../support/core.js";

describe("one address cannot flood the staff queue by dropping its cookie", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp({ RATE_LIMIT_PER_MINUTE: "4" });
  });
  afterAll(async () => app?.cleanup());

  it("limits questions per client address (5 × the per-person limit), with a German message", async () => {
    const statuses: number[] = [];
    let last = "";
    for (let i = 0; i < 30; i++) {
      // No cookie jar: every request is a new "person".
      const r = await fetch(`${app.baseUrl}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: `Bitte rufen Sie mich an (${i})` }) });
      statuses.push(r.status);
      last = await r.text();
    }
    expect(statuses.filter((s) => s === 200).length).toBe(20);
    expect(statuses.filter((s) => s === 429).length).toBe(10);
    expect(last).toContain("Bitte warten Sie eine Minute");
    expect((await app.core.store.countTickets()).open).toBeLessThanOrEqual(20);
  });
});
