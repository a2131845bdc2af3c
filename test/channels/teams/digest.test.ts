import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDigest } from "../../../src/digest/run-digest.js";
import { startApp } from "../../support/core.js";
import { mentionActivity, postActivity, startTeamsCapture, teamsActivity, type TeamsCapture } from "../../support/teams-capture.js";

describe("weekly digest in Teams (opt-in by words, delivery through the proactive path)", () => {
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

  it("sends each subscribed Teams chat the digest once and unsubscribes a chat the bot was removed from", async () => {
    const channelThread = { id: "19:vg-saarburg@thread.tacv2;messageid=1711111111111", conversationType: "channel", isGroup: true };
    await postActivity(app.baseUrl, mentionActivity(cap.serviceUrl, "digest an", { conversation: channelThread }));
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "/digest an", conversation: { id: "a:dm-digest", conversationType: "personal" } }));
    await postActivity(app.baseUrl, teamsActivity(cap.serviceUrl, { text: "digest an", conversation: { id: "a:dm-removed", conversationType: "personal" } }));
    expect((await app.core.store.listSubscriptions()).filter((s) => s.channel === "teams")).toHaveLength(3);

    cap.clear();
    cap.failFor(/^a:dm-removed$/, 403, "BotNotInConversationRoster");
    const report = await runDigest(app.core);
    expect(report).toMatchObject({ sent: 2, unsubscribed: 1, failed: 0 });

    // A new post in the channel itself (not a reply in the thread where it was switched on).
    const [post] = cap.messages("19:vg-saarburg@thread.tacv2");
    expect(post.path).toBe(`/v3/conversations/${encodeURIComponent("19:vg-saarburg@thread.tacv2")}/activities`);
    expect(post.body.text).toContain("Wochenüberblick");
    expect(post.body.textFormat).toBe("xml");
    expect(cap.messages("a:dm-digest")).toHaveLength(1);
    expect(await app.core.store.isSubscribed("teams", "a:dm-removed")).toBe(false);

    // Idempotent: a second run in the same week sends nothing more.
    cap.clear();
    const again = await runDigest(app.core);
    expect(again?.sent).toBe(0);
    expect(cap.messages()).toHaveLength(0);
  });
});
