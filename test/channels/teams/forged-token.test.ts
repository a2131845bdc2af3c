import { afterEach, describe, expect, it } from "vitest";
import { startApp } from "../../support/core.js";
import { postActivity, startTeamsCapture, teamsActivity, type TeamsCapture } from "../../support/teams-capture.js";

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
const APP_ID = "00000000-0000-4000-8000-000000000001";

/** A token that looks like the Bot Framework's but is signed by nobody. */
function forgedToken(): string {
  const now = Math.floor(Date.now() / 1000);
  return [
    b64({ alg: "RS256", typ: "JWT", kid: "forged-key" }),
    b64({ iss: "https://api.botframework.com", aud: APP_ID, serviceurl: "http://127.0.0.1/", nbf: now - 10, exp: now + 3600 }),
    Buffer.from("not-a-signature").toString("base64url"),
  ].join(".");
}

describe("Teams endpoint with a forged token", () => {
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let cap: TeamsCapture | undefined;
  afterEach(async () => {
    await app?.cleanup();
    await cap?.close();
  });

  it("answers 401, not 500, and sends nothing, even when the sign-in keys cannot be fetched", async () => {
    cap = await startTeamsCapture();
    app = await startApp({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: "secret" });
    const res = await fetch(`${app.baseUrl}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${forgedToken()}` },
      body: JSON.stringify(teamsActivity(cap.serviceUrl, { text: "hilfe" })),
    });
    expect(res.status).toBe(401);
    expect(cap.calls).toHaveLength(0);
  });
});

describe("TEAMS_ALLOWED_TENANTS", () => {
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let cap: TeamsCapture | undefined;
  afterEach(async () => {
    await app?.cleanup();
    await cap?.close();
  });

  it("answers only activities from the listed tenants; others get 403 and no reply", async () => {
    cap = await startTeamsCapture();
    app = await startApp({ TEAMS_ALLOW_UNAUTHENTICATED: "true", TEAMS_ALLOWED_TENANTS: "T-Kreis, t2" });
    const from = (tenant?: string) =>
      teamsActivity(cap!.serviceUrl, {
        text: "hilfe",
        conversation: { id: "a:personal-1", conversationType: "personal", ...(tenant ? { tenantId: tenant } : {}) },
        ...(tenant ? { channelData: { tenant: { id: tenant } } } : {}),
      });
    expect((await postActivity(app.baseUrl, from("fremder-mandant"))).status).toBe(403);
    expect((await postActivity(app.baseUrl, from())).status).toBe(403);
    expect(cap.calls).toHaveLength(0);
    expect((await postActivity(app.baseUrl, from("t-kreis"))).status).toBe(200);
    expect(cap.messages()).toHaveLength(1);
  });
});
