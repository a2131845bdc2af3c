import { afterEach, describe, expect, it } from "vitest";
import { startApp } from "../../support/core.js";
import { postActivity, startTeamsCapture, teamsActivity, type TeamsCapture } from "../../support/teams-capture.js";

describe("Teams endpoint authentication", () => {
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let cap: TeamsCapture | undefined;
  afterEach(async () => {
    await app?.cleanup();
    await cap?.close();
    app = undefined;
    cap = undefined;
  });

  it("refuses every request with 401 when there is no app id and no unauthenticated flag", async () => {
    cap = await startTeamsCapture();
    app = await startApp();
    const res = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "hilfe" }));
    expect(res.status).toBe(401);
    expect((await res.json()).error).toContain("MicrosoftAppId");
    expect(cap.calls).toHaveLength(0);
    const teams = app.channels.find((c) => c.name === "teams") as unknown as { serving: boolean; mode: string };
    expect(teams.serving).toBe(false);
    expect(teams.mode).toBe("refusing");
  });

  it("with an app id, rejects an activity without a Bot Framework token (401) and sends nothing", async () => {
    cap = await startTeamsCapture();
    app = await startApp({ MicrosoftAppId: "00000000-0000-4000-8000-000000000001", MicrosoftAppPassword: "secret" });
    const res = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "hilfe" }));
    expect(res.status).toBe(401);
    expect(cap.calls).toHaveLength(0);
    const teams = app.channels.find((c) => c.name === "teams") as unknown as { serving: boolean; mode: string };
    expect(teams.mode).toBe("authenticated");
    expect(teams.serving).toBe(true);
  });

  it("accepts unauthenticated activities only with TEAMS_ALLOW_UNAUTHENTICATED=true", async () => {
    cap = await startTeamsCapture();
    app = await startApp({ TEAMS_ALLOW_UNAUTHENTICATED: "true" });
    const res = await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "hilfe" }));
    expect(res.status).toBe(200);
    expect(cap.messages()).toHaveLength(1);
  });
});
