import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../support/core.js";

describe("Content-Security-Policy without inline scripts", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => app?.cleanup());

  it("allows scripts only from our own files, and the pages load theirs from there", async () => {
    for (const path of ["/", "/staff/login"]) {
      const res = await fetch(app.baseUrl + path);
      const csp = res.headers.get("content-security-policy") ?? "";
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
      expect(scriptSrc.trim()).toBe("'self'");
      // Every script tag on the page names a file.
      for (const tag of (await res.text()).match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/src="\/[^"]+\.js"/);
    }
    for (const path of ["/chat.js", "/staff/ticket.js"]) {
      const js = await fetch(app.baseUrl + path);
      expect(js.status).toBe(200);
      expect(js.headers.get("content-type")).toMatch(/javascript/);
      expect((await js.text()).length).toBeGreaterThan(100);
    }
  });
});
