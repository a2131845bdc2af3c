import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sender } from "../../src/core/ports.js";
import { runDigest } from "../../src/digest/run-digest.js";
import { startApp } from "../support/core.js";
import { createTestSchema, postgresTests, reportPostgresSkip, type TestSchema } from "../support/postgres.js";
import { webSessionId } from "../support/web-session.js";

/**
 * Two Ortslotse instances (own DATA_DIR each, identical index) on one PostgreSQL database, as behind a
 * load balancer: the weekly digest goes out once, and a ticket opened on one instance and answered on
 * the other is answered everywhere.
 */
reportPostgresSkip("two-instances");

type App = Awaited<ReturnType<typeof startApp>>;

/** The Telegram Bot API at the process boundary: records which instance sent what. */
function recordingSender(instance: string, log: { instance: string; chat: string; text: string }[]): Sender {
  return {
    channel: "telegram",
    async send(conv, msg) {
      // Give the other instance time to race for the same chat.
      await new Promise((r) => setTimeout(r, 5));
      log.push({ instance, chat: conv.conversationId, text: msg.text });
    },
  };
}

/** A browser session: keeps the web chat cookie, and can send it to either instance (as a load balancer would). */
function mayor(first: App) {
  const jar = { cookie: "" };
  const client = (app: App) => {
    const call = async (path: string, body?: unknown) => {
      const res = await fetch(app.baseUrl + path, {
        method: body === undefined ? "GET" : "POST",
        headers: { "content-type": "application/json", ...(jar.cookie ? { cookie: jar.cookie } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const set = res.headers.get("set-cookie");
      if (set) jar.cookie = set.split(";")[0];
      expect(res.status).toBe(200);
      return res.json() as Promise<Record<string, unknown>>;
    };
    return {
      ask: (text: string) => call("/api/chat", { text }) as Promise<{ action: string; ticket?: number; text: string }>,
      inbox: async () => ((await call("/api/chat/inbox")) as { messages: { text: string }[] }).messages,
      // The cookie is "id.signature"; the store knows the person by the id.
      session: () => webSessionId(jar.cookie),
      on: (other: App) => client(other),
    };
  };
  return client(first);
}

describe.runIf(postgresTests.enabled)("two instances on one PostgreSQL database", () => {
  let schema: TestSchema;
  let a: App;
  let b: App;

  beforeAll(async () => {
    schema = await createTestSchema();
    // Started together: both run migrations and create the rate limiter table at the same moment.
    [a, b] = await Promise.all([startApp({ DATABASE_URL: schema.url }), startApp({ DATABASE_URL: schema.url })]);
  });
  afterAll(async () => {
    await a?.cleanup();
    await b?.cleanup();
    await schema?.drop();
  });

  it("sends the weekly digest once per chat when both instances run it at the same time", async () => {
    const sent: { instance: string; chat: string; text: string }[] = [];
    a.core.delivery.registerSender(recordingSender("A", sent));
    b.core.delivery.registerSender(recordingSender("B", sent));

    const web = mayor(a);
    await web.ask("Hallo");
    await a.core.store.subscribe({ channel: "web", conversationId: web.session(), createdBy: "test" });
    const groups = Array.from({ length: 8 }, (_, i) => `-100${i}`);
    for (const id of groups) {
      await b.core.store.saveConversation({ channel: "telegram", conversationId: id, isGroup: true, reference: { chatId: Number(id) } });
      await b.core.store.subscribe({ channel: "telegram", conversationId: id, createdBy: "admin" });
    }

    const now = new Date();
    const [ra, rb] = await Promise.all([runDigest(a.core, now), runDigest(b.core, now)]);
    expect(ra && rb).toBeTruthy();
    expect(ra!.key).toBe(rb!.key);
    expect(ra!.sent + rb!.sent).toBe(groups.length + 1);
    expect(ra!.skipped + rb!.skipped).toBe(groups.length + 1);
    expect(ra!.failed + rb!.failed).toBe(0);

    expect(sent.map((s) => s.chat).sort()).toEqual([...groups].sort());
    const deliveries = await a.core.store.digestDeliveries(ra!.key);
    expect(deliveries).toHaveLength(groups.length + 1);
    expect(deliveries.every((d) => d.status === "sent")).toBe(true);

    // The web chat polls its outbox on either instance and finds the digest exactly once.
    const inbox = await web.inbox();
    expect(inbox).toHaveLength(1);
    expect(inbox[0].text).toBe(sent[0].text);
    expect(await web.on(b).inbox()).toEqual([]);

    // A third run (say, a restarted instance) sends nothing again.
    const rc = await runDigest(b.core, now);
    expect(rc!.sent).toBe(0);
    expect(sent).toHaveLength(groups.length);

    // The scheduler's guard: only one instance runs the job for a period.
    const claims = await Promise.all([a.core.store.claimJobRun("digest", "2099-W01"), b.core.store.claimJobRun("digest", "2099-W01")]);
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("shows a ticket opened on instance A and answered on instance B as answered on A, with the answer in A's web inbox", async () => {
    const web = mayor(a);
    const reply = await web.ask("Können Sie mich morgen zurückrufen?");
    expect(reply.action).toBe("handover");
    const id = reply.ticket!;
    expect(id).toEqual(expect.any(Number));

    // Staff see it on B (e.g. the /staff page served by B).
    const onB = await b.core.store.getTicket(id);
    expect(onB).toMatchObject({ status: "open", channel: "web", conversationId: web.session() });
    expect((await b.core.store.listTickets({ status: ["open"] })).map((t) => t.id)).toContain(id);

    await b.core.handover.claim(id, "Frau Becker");
    const answered = await b.core.handover.answer(id, "Frau Becker", "Gern, ich rufe Sie morgen um 10 Uhr an.");
    expect(answered).toMatchObject({ delivered: true });

    const onA = await a.core.store.getTicket(id);
    expect(onA).toMatchObject({ status: "answered", staffMember: "Frau Becker", answer: "Gern, ich rufe Sie morgen um 10 Uhr an." });
    expect(await a.core.store.findOpenTicket("web", web.session())).toBeUndefined();

    const inbox = await web.inbox();
    expect(inbox).toHaveLength(1);
    expect(inbox[0].text).toContain(`Nr. ${id}`);
    expect(inbox[0].text).toContain("Gern, ich rufe Sie morgen um 10 Uhr an.");
    expect(await web.on(b).inbox()).toEqual([]);
  });
});
