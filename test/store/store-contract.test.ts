import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { join } from "node:path";
import { TURN_REFERENCE_PREFIX, type Store, type TicketInput, type TurnInput } from "../../src/store/store.js";
import { sqliteStore } from "../../src/store/sql-store.js";
import { postgresStore } from "../../src/store/sql-store.js";
import { StoreError } from "../../src/store/store-error.js";
import { tempDir } from "../support/temp.js";
import { createTestSchema, postgresTests, reportPostgresSkip } from "../support/postgres.js";

/**
 * One behaviour suite for every Store back-end. SQLite always runs; PostgreSQL runs against the real
 * server in TEST_DATABASE_URL (in CI it must be set: a missing URL fails the suite there).
 */

/** A fresh, empty database of one back-end; `connect()` opens another store object on that same database. */
interface Database {
  connect(): Store;
  cleanup(): Promise<void>;
}
interface Backend {
  name: string;
  enabled: boolean;
  create(): Promise<Database>;
}

function tracking(open: () => Store, drop: () => Promise<void>): Database {
  const opened: Store[] = [];
  return {
    connect: () => {
      const s = open();
      opened.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of opened) await s.close();
      await drop();
    },
  };
}

const BACKENDS: Backend[] = [
  {
    name: "SQLite",
    enabled: true,
    create: async () => {
      const d = tempDir("ortslotse-store-");
      const file = join(d.dir, "ortslotse.sqlite");
      return tracking(() => sqliteStore(file), async () => d.cleanup());
    },
  },
  {
    name: "PostgreSQL",
    enabled: postgresTests.enabled,
    create: async () => {
      const schema = await createTestSchema();
      return tracking(() => postgresStore(schema.url, { poolSize: 4 }), schema.drop);
    },
  },
];
reportPostgresSkip("store-contract");

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const turn = (over: Partial<TurnInput> = {}): TurnInput => ({
  channel: "telegram", conversationId: "c1", userId: "u1", question: "Wann ist die Frist?", action: "answer",
  answer: "Am 15. April.", confidence: 0.8125, reasons: ["retrieval"], sourceIds: ["faq-1", "nl-2"], topics: ["foerderung"], ...over,
});

const ticket = (over: Partial<TicketInput> = {}): TicketInput => ({
  channel: "telegram", conversationId: "c1", userId: "u1", userName: "Anna Beispiel", village: "Kell am See",
  question: "Können Sie mich zurückrufen?", context: [{ role: "mayor", text: "Hallo" }, { role: "bot", text: "Guten Tag" }],
  passages: [{ id: "faq-1", title: "Förderung", excerpt: "…" }], draftAnswer: "Entwurf", reason: "person_requested", topics: ["foerderung"], ...over,
});

describe.each(BACKENDS)("Store contract: $name", (backend) => {
  describe.runIf(backend.enabled)(`${backend.name} back-end`, () => {
    let db: Database;
    let store: Store;
    /** A second store object on the same database, as a second instance would have. */
    let other: () => Promise<Store>;

    beforeEach(async () => {
      db = await backend.create();
      store = db.connect();
      await store.migrate();
      other = async () => {
        const s = db.connect();
        await s.migrate();
        return s;
      };
    });
    afterEach(async () => {
      vi.useRealTimers();
      await db.cleanup();
    });

    describe("staff sessions", () => {
      const sess = (sid: string, name = "jana", minutes = 60) => ({ sid, name, csrf: `c-${sid}`, expiresAt: new Date(Date.now() + minutes * 60_000).toISOString() });

      it("finds a live session by account and id, never an expired one or another account's", async () => {
        await store.addStaffSession(sess("a"), 10);
        await store.addStaffSession(sess("old", "jana", -1), 10);
        expect(await store.getStaffSession("jana", "a")).toMatchObject({ sid: "a", csrf: "c-a" });
        expect(await store.getStaffSession("tom", "a")).toBeUndefined();
        expect(await store.getStaffSession("jana", "old")).toBeUndefined();
      });

      it("keeps the newest sessions of an account, and ends one, all but one, or all", async () => {
        vi.useFakeTimers({ toFake: ["Date"] });
        for (let i = 0; i < 4; i++) {
          vi.setSystemTime(new Date(Date.UTC(2026, 0, 1, 8, i)));
          await store.addStaffSession(sess(`s${i}`), 3);
        }
        await store.addStaffSession(sess("t1", "tom"), 3);
        const live = async (name: string, ids: string[]) => (await Promise.all(ids.map((id) => store.getStaffSession(name, id)))).map((x) => x?.sid);
        expect(await live("jana", ["s0", "s1", "s2", "s3"])).toEqual([undefined, "s1", "s2", "s3"]);
        await store.deleteStaffSessions("jana", { sid: "s1" });
        await store.deleteStaffSessions("jana", { exceptSid: "s3" });
        expect(await live("jana", ["s2", "s3"])).toEqual([undefined, "s3"]);
        await store.deleteStaffSessions("jana");
        expect(await live("jana", ["s3"])).toEqual([undefined]);
        expect(await live("tom", ["t1"])).toEqual(["t1"]);
      });
    });

    describe("inbox of incoming updates", () => {
      it("gives an update to exactly one of two instances, keeps it until finished, and replays the unfinished in the order they arrived", async () => {
        const second = await other();
        await store.keepUpdate("telegram", "100", '{"update_id":100}');
        const claims = await Promise.all([store, second, store, second].map((s) => s.claimUpdate("telegram", "100", '{"update_id":100}')));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.claimUpdate("telegram", "99", '{"update_id":99}')).toBe(true);
        expect(await second.claimUpdate("teams", "99", "{}")).toBe(true);
        expect((await store.unfinishedUpdates("telegram")).map((u) => u.key)).toEqual(["100", "99"]);
        await second.finishUpdate("telegram", "99");
        expect(await store.unfinishedUpdates("telegram")).toEqual([{ key: "100", payload: '{"update_id":100}' }]);
        // Finished: the marker stays, so a redelivered copy is not claimed again.
        expect(await store.claimUpdate("telegram", "99", '{"update_id":99}')).toBe(false);
      });

      it("tells a redelivered activity apart: new, unfinished (process again) or done", async () => {
        expect(await store.beginUpdate("teams", "c|1", "{}")).toBe("new");
        expect(await store.beginUpdate("teams", "c|1", "{}")).toBe("unfinished");
        await store.finishUpdate("teams", "c|1");
        expect(await store.beginUpdate("teams", "c|1", "{}")).toBe("done");
        expect(await store.unfinishedUpdates("teams")).toEqual([]);
      });
    });

    describe("tickets per person, paging and contact", () => {
      it("finds a person's answered tickets, newest answer first, and reopens only an answered one", async () => {
        const a = await store.createTicket(ticket({ conversationId: "r", userId: "rita" }));
        const later = await store.createTicket(ticket({ conversationId: "r", userId: "rita" }));
        const other = await store.createTicket(ticket({ conversationId: "r", userId: "rolf" }));
        expect(await store.findAnsweredTickets("telegram", "r", "rita")).toEqual([]);
        await store.answerTicket(later.id, "team", "Erledigt.");
        await new Promise((r) => setTimeout(r, 5));
        // The older Vorgang answered last comes first: its answer is the newest.
        await store.answerTicket(a.id, "team", "Wer ist Träger?");
        await store.answerTicket(other.id, "team", "Erledigt.");
        expect((await store.findAnsweredTickets("telegram", "r", "rita")).map((t) => t.id)).toEqual([a.id, later.id]);
        expect((await store.personTickets("telegram", "rita")).map((t) => t.id)).toEqual([later.id, a.id]);
        expect((await store.personTickets("telegram", "rita", 1)).map((t) => t.id)).toEqual([later.id]);
        expect(await store.personTickets("teams", "rita")).toEqual([]);
        expect(await store.reopenTicket(a.id)).toBe(true);
        expect((await store.getTicket(a.id))?.status).toBe("open");
        expect(await store.reopenTicket(a.id)).toBe(false);
        expect((await store.findAnsweredTickets("telegram", "r", "rita")).map((t) => t.id)).toEqual([later.id]);
        await store.closeTicket(other.id, "team");
        expect(await store.reopenTicket(other.id)).toBe(false);
        expect((await store.getTicket(other.id))?.status).toBe("closed");
      });

      it("finds the open ticket of one person in a shared chat, counts per person and per state, pages oldest first", async () => {
        const a = await store.createTicket(ticket({ conversationId: "g", userId: "anna" }));
        const b = await store.createTicket(ticket({ conversationId: "g", userId: "bernd" }));
        expect((await store.findOpenTicket("telegram", "g", "anna"))?.id).toBe(a.id);
        expect((await store.findOpenTicket("telegram", "g", "bernd"))?.id).toBe(b.id);
        expect((await store.findOpenTicket("telegram", "g"))?.id).toBe(b.id);
        expect(await store.countOpenTickets("telegram", "anna")).toBe(1);
        const c = await store.createTicket(ticket({ conversationId: "g", userId: "anna" }));
        expect(await store.countOpenTickets("telegram", "anna")).toBe(2);
        expect(await store.countTickets()).toEqual({ open: 3, claimed: 0, answered: 0, closed: 0 });
        const page1 = await store.listTickets({ status: ["open"], oldestFirst: true, limit: 2 });
        const page2 = await store.listTickets({ status: ["open"], oldestFirst: true, limit: 2, offset: 2 });
        expect(page1.map((t) => t.id)).toEqual([a.id, b.id]);
        expect(page2.map((t) => t.id)).toEqual([c.id]);
        await store.setTicketContact(a.id, { userName: "Anna Neu", village: "Zerf" });
        expect(await store.getTicket(a.id)).toMatchObject({ userName: "Anna Neu", village: "Zerf" });
      });

      it("searches Vorgänge by number and by words in any case, umlauts included, wildcards as characters", async () => {
        const a = await store.createTicket(ticket({ question: "Ärger mit dem Zuschuss (50%_Förderung)", userName: "Öznur Kaya", village: "Saarburg",
          context: [{ role: "bot", text: "Ihre Vorgangsnummer steht unten." }, { role: "mayor", text: "Hr. Müller aus der Schulstraße" }] }));
        const b = await store.createTicket(ticket({ question: "Frage zur Ehrenamtskarte" }));
        await store.addTicketMessage(b.id, { from: "staff", author: "team", text: "Bitte Nachweis über Stunden schicken" });
        const ids = async (q: string) => (await store.searchTickets(q)).map((t) => t.id);
        expect(await ids("ärger")).toEqual([a.id]);
        expect(await ids("ÖZNUR saarburg")).toEqual([a.id]);
        expect(await ids("nachweis stunden")).toEqual([b.id]);
        expect(await ids("50%_")).toEqual([a.id]);
        expect(await ids("%")).toEqual([a.id]);
        expect(await ids(`Nr. ${b.id}`)).toEqual([b.id]);
        expect(await ids(String(a.id))).toEqual([a.id]);
        expect(await ids(`Vorgang ${a.id}`)).toEqual([a.id]);
        expect(await ids(`#${b.id}`)).toEqual([b.id]);
        // Spelled without umlauts, and the mayor's story counts; what the bot said does not.
        expect(await ids("mueller schulstrasse")).toEqual([a.id]);
        expect(await ids("vorgangsnummer")).toEqual([]);
        expect(await ids("")).toEqual([]);
      });

      it("keeps, lists by prefix and deletes state entries", async () => {
        await store.setState("telegram:inbox:000000000002", "{\"b\":1}");
        await store.setState("telegram:inbox:000000000001", "{\"a\":1}");
        await store.setState("other:key", "x");
        expect((await store.listState("telegram:inbox:")).map((e) => e.key)).toEqual(["telegram:inbox:000000000001", "telegram:inbox:000000000002"]);
        await store.deleteState("telegram:inbox:000000000001");
        expect((await store.listState("telegram:inbox:")).map((e) => e.value)).toEqual(['{"b":1}']);
        expect(await store.getState("other:key")).toBe("x");
      });

      it("updates a state entry atomically across instances, and deletes it when the change returns nothing", async () => {
        const second = await other();
        const add = (s: Store, sid: string) =>
          s.updateState("staff:sessions:jana", (raw) => JSON.stringify([...(raw ? (JSON.parse(raw) as string[]) : []), sid]));
        await Promise.all(Array.from({ length: 20 }, (_, i) => add(i % 2 ? store : second, `s${i}`)));
        const list = JSON.parse((await store.getState("staff:sessions:jana"))!) as string[];
        expect(list.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `s${i}`).sort());
        // First writer wins for a value created once (the signing secret).
        const secrets = await Promise.all([store, second, store, second].map((s, i) => s.updateState("web:sessionSecret", (cur) => cur ?? `fresh-${i}`)));
        expect(new Set(secrets).size).toBe(1);
        expect(await second.updateState("staff:sessions:jana", () => undefined)).toBeUndefined();
        expect(await store.getState("staff:sessions:jana")).toBeUndefined();
      });
    });

    describe("migrations", () => {
      it("are idempotent and keep data when run again", async () => {
        await store.setState("k", "v");
        await store.migrate();
        const second = await other();
        expect(await second.getState("k")).toBe("v");
      });

      it("let two instances migrate a fresh database at the same time", async () => {
        const fresh = await backend.create();
        try {
          const [a, b] = [fresh.connect(), fresh.connect()];
          await Promise.all([a.migrate(), b.migrate()]);
          await a.setState("x", "1");
          expect(await b.getState("x")).toBe("1");
        } finally {
          await fresh.cleanup();
        }
      });
    });

    describe("conversations", () => {
      it("round-trips the reference JSON and keeps the old reference and title when an update leaves them out", async () => {
        const reference = { chatId: -1001234, thread: 7, user: { name: "Zoë Ümlaut 😀", admin: true }, list: [1, 2.5, null], nested: { a: { b: "c" } } };
        await store.saveConversation({ channel: "telegram", conversationId: "-1001234", isGroup: true, reference, title: "Gemeinderat" });
        expect(await store.getConversation("telegram", "-1001234")).toEqual({
          channel: "telegram", conversationId: "-1001234", isGroup: true, reference, title: "Gemeinderat",
        });
        await store.saveConversation({ channel: "telegram", conversationId: "-1001234", isGroup: false, reference: undefined });
        expect(await store.getConversation("telegram", "-1001234")).toEqual({
          channel: "telegram", conversationId: "-1001234", isGroup: false, reference, title: "Gemeinderat",
        });
        await store.saveConversation({ channel: "telegram", conversationId: "-1001234", isGroup: true, reference: { chatId: 1 } });
        expect((await store.getConversation("telegram", "-1001234"))?.reference).toEqual({ chatId: 1 });
      });

      it("keeps conversations of different channels apart and returns undefined for unknown ones", async () => {
        await store.saveConversation({ channel: "web", conversationId: "x", isGroup: false, reference: { session: "x" } });
        expect(await store.getConversation("telegram", "x")).toBeUndefined();
        expect((await store.getConversation("web", "x"))?.title).toBeUndefined();
      });
    });

    describe("turns and feedback", () => {
      it("stores a turn exactly and returns ids in increasing order", async () => {
        const a = await store.addTurn(turn());
        const b = await store.addTurn(turn({ question: "Zweite", topics: [], sourceIds: [], reasons: [] }));
        expect(typeof a).toBe("number");
        expect(b).toBeGreaterThan(a);
        const t = await store.getTurn(a);
        expect(t).toEqual({ ...turn(), id: a, createdAt: expect.stringMatching(ISO) });
        expect(t?.feedback).toBeUndefined();
        expect((await store.getTurn(b))?.topics).toEqual([]);
        expect(await store.getTurn(b + 1000)).toBeUndefined();
      });

      it("returns the most recent turns of one conversation, oldest first", async () => {
        for (let i = 1; i <= 5; i++) await store.addTurn(turn({ question: `F${i}` }));
        await store.addTurn(turn({ conversationId: "c2", question: "fremd" }));
        const recent = await store.recentTurns("telegram", "c1", 3);
        expect(recent.map((t) => t.question)).toEqual(["F3", "F4", "F5"]);
        expect(await store.recentTurns("teams", "c1", 3)).toEqual([]);
      });

      it("counts only the first feedback on a turn", async () => {
        const id = await store.addTurn(turn());
        expect(await store.setFeedback(id, -1)).toBe(true);
        expect(await store.setFeedback(id, 1)).toBe(false);
        expect((await store.getTurn(id))?.feedback).toBe(-1);
        expect(await store.setFeedback(id + 1000, 1)).toBe(false);
      });

      it("stores text with a NUL character without failing", async () => {
        const id = await store.addTurn(turn({ question: "a\u0000b" }));
        expect((await store.getTurn(id))?.question).toMatch(/^a\u0000?b$/);
      });
    });

    describe("tickets", () => {
      it("goes open → claimed → answered → closed, recording messages along the way", async () => {
        const t = await store.createTicket(ticket());
        expect(t).toMatchObject({
          ...ticket(), status: "open", createdAt: expect.stringMatching(ISO), updatedAt: t.createdAt,
          messages: [{ at: t.createdAt, from: "mayor", author: "Anna Beispiel", text: "Können Sie mich zurückrufen?" }],
        });
        expect(t.staffMember).toBeUndefined();
        expect(t.answeredAt).toBeUndefined();
        expect(await store.getTicket(t.id)).toEqual(t);
        expect((await store.findOpenTicket("telegram", "c1"))?.id).toBe(t.id);

        const claimed = await store.claimTicket(t.id, "Frau Becker");
        expect(claimed).toMatchObject({ status: "claimed", staffMember: "Frau Becker" });
        // A second claim does not take it away from the first.
        expect(await store.claimTicket(t.id, "Herr Klein")).toMatchObject({ status: "claimed", staffMember: "Frau Becker" });
        expect((await store.findOpenTicket("telegram", "c1"))?.id).toBe(t.id);

        await store.addTicketMessage(t.id, { from: "mayor", author: "Anna Beispiel", text: "Am liebsten vormittags." });
        const answered = await store.answerTicket(t.id, "Frau Becker", "Ich rufe Sie morgen um 10 Uhr an.");
        expect(answered).toMatchObject({
          status: "answered", staffMember: "Frau Becker", answer: "Ich rufe Sie morgen um 10 Uhr an.", answeredAt: expect.stringMatching(ISO),
        });
        expect(answered!.messages.map((m) => [m.from, m.text])).toEqual([
          ["mayor", "Können Sie mich zurückrufen?"],
          ["mayor", "Am liebsten vormittags."],
          ["staff", "Ich rufe Sie morgen um 10 Uhr an."],
        ]);
        expect(answered!.messages[2]).toMatchObject({ author: "Frau Becker", at: answered!.answeredAt });
        expect(await store.findOpenTicket("telegram", "c1")).toBeUndefined();

        const closed = await store.closeTicket(t.id, "Herr Klein");
        expect(closed).toMatchObject({ status: "closed", staffMember: "Frau Becker", answer: "Ich rufe Sie morgen um 10 Uhr an." });
      });

      it("closes an unclaimed ticket in the closer's name, and returns undefined for unknown tickets", async () => {
        const t = await store.createTicket(ticket({ userName: undefined, village: undefined, draftAnswer: undefined }));
        expect(t.userName).toBeUndefined();
        expect(t.messages[0].author).toBeUndefined();
        expect(await store.closeTicket(t.id, "Herr Klein")).toMatchObject({ status: "closed", staffMember: "Herr Klein" });
        expect(await store.getTicket(t.id + 1000)).toBeUndefined();
        expect(await store.claimTicket(t.id + 1000, "x")).toBeUndefined();
        expect(await store.answerTicket(t.id + 1000, "x", "y")).toBeUndefined();
        expect(await store.closeTicket(t.id + 1000, "x")).toBeUndefined();
        await store.addTicketMessage(t.id + 1000, { from: "system", text: "nichts" });
      });

      it("finds the newest open ticket of a conversation and lists tickets by status, newest first", async () => {
        const a = await store.createTicket(ticket());
        const b = await store.createTicket(ticket({ question: "Zweite" }));
        const c = await store.createTicket(ticket({ conversationId: "c2" }));
        await store.answerTicket(a.id, "s", "ok");
        expect((await store.findOpenTicket("telegram", "c1"))?.id).toBe(b.id);
        expect((await store.listTickets()).map((t) => t.id)).toEqual([c.id, b.id, a.id]);
        expect((await store.listTickets({ status: ["open"] })).map((t) => t.id)).toEqual([c.id, b.id]);
        expect((await store.listTickets({ status: ["answered", "closed"] })).map((t) => t.id)).toEqual([a.id]);
        expect((await store.listTickets({ limit: 1 })).map((t) => t.id)).toEqual([c.id]);
      });

      it("keeps every message when two instances append to one ticket at the same time", async () => {
        const t = await store.createTicket(ticket());
        const second = await other();
        await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? store : second).addTicketMessage(t.id, { from: "mayor", text: `N${i}` })),
        );
        const texts = (await store.getTicket(t.id))!.messages.map((m) => m.text);
        expect(texts).toHaveLength(11);
        expect(texts.slice(1).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `N${i}`).sort());
      });

      it("finds a ticket by its staff-chat post", async () => {
        const t = await store.createTicket(ticket());
        await store.setTicketStaffPost(t.id, "telegram:-100:42");
        expect((await store.findTicketByStaffPost("telegram:-100:42"))?.id).toBe(t.id);
        expect((await store.getTicket(t.id))?.staffPostRef).toBe("telegram:-100:42");
        expect(await store.findTicketByStaffPost("telegram:-100:43")).toBeUndefined();
      });

      it("lists open tickets due for a reminder until they are reminded", async () => {
        const a = await store.createTicket(ticket());
        const b = await store.createTicket(ticket({ conversationId: "c2" }));
        const c = await store.createTicket(ticket({ conversationId: "c3" }));
        await store.claimTicket(b.id, "s");
        await store.answerTicket(c.id, "s", "erledigt");
        const later = new Date(Date.now() + 60_000).toISOString();
        const earlier = new Date(Date.now() - 3600_000).toISOString();
        expect((await store.ticketsToRemind(later, later)).map((t) => t.id)).toEqual([a.id, b.id]);
        expect(await store.ticketsToRemind(earlier, later)).toEqual([]);
        const remindedAt = new Date().toISOString();
        await store.markReminded(a.id, remindedAt);
        expect((await store.getTicket(a.id))?.lastRemindedAt).toBe(remindedAt);
        expect((await store.ticketsToRemind(later, earlier)).map((t) => t.id)).toEqual([b.id]);
        expect((await store.ticketsToRemind(later, later)).map((t) => t.id)).toEqual([a.id, b.id]);
      });
    });

    describe("staff accounts", () => {
      it("creates an account that must change its password, and resets it when added again", async () => {
        const s = await store.addStaff("becker", "hash1");
        expect(s).toEqual({ id: expect.any(Number), name: "becker", passwordHash: "hash1", mustChangePassword: true, createdAt: expect.stringMatching(ISO) });
        await store.setStaffPassword("becker", "hash2", false);
        expect(await store.getStaffByName("becker")).toMatchObject({ passwordHash: "hash2", mustChangePassword: false });
        const again = await store.addStaff("becker", "hash3");
        expect(again).toMatchObject({ id: s.id, passwordHash: "hash3", mustChangePassword: true, createdAt: s.createdAt });
        expect(await store.getStaffByName("klein")).toBeUndefined();
      });
    });

    describe("subscriptions and digests", () => {
      it("subscribes once and unsubscribes once", async () => {
        expect(await store.subscribe({ channel: "telegram", conversationId: "-100", createdBy: "admin" })).toBe(true);
        expect(await store.subscribe({ channel: "telegram", conversationId: "-100", createdBy: "other" })).toBe(false);
        expect(await store.subscribe({ channel: "teams", conversationId: "19:abc" })).toBe(true);
        expect(await store.isSubscribed("telegram", "-100")).toBe(true);
        expect(await store.isSubscribed("web", "-100")).toBe(false);
        const subs = await store.listSubscriptions();
        expect(subs).toHaveLength(2);
        expect(subs.find((s) => s.channel === "telegram")).toEqual({ channel: "telegram", conversationId: "-100", createdBy: "admin", createdAt: expect.stringMatching(ISO) });
        expect(subs.find((s) => s.channel === "teams")?.createdBy).toBeUndefined();
        expect(await store.unsubscribe("telegram", "-100")).toBe(true);
        expect(await store.unsubscribe("telegram", "-100")).toBe(false);
        expect(await store.isSubscribed("telegram", "-100")).toBe(false);
      });

      it("claims a digest delivery once; a failed one may be retried, a sent one never", async () => {
        expect(await store.claimDigestDelivery("2026-W10", "telegram", "a")).toBe(true);
        expect(await store.claimDigestDelivery("2026-W10", "telegram", "a")).toBe(false);
        expect(await store.claimDigestDelivery("2026-W10", "telegram", "b")).toBe(true);
        expect(await store.claimDigestDelivery("2026-W11", "telegram", "a")).toBe(true);
        await store.markDigestDelivered("2026-W10", "telegram", "a", true);
        await store.markDigestDelivered("2026-W10", "telegram", "b", false, "send failed");
        expect(await store.claimDigestDelivery("2026-W10", "telegram", "a")).toBe(false);
        expect(
          (await store.digestDeliveries("2026-W10")).sort((x, y) => x.conversationId.localeCompare(y.conversationId)),
        ).toEqual([
          { channel: "telegram", conversationId: "a", status: "sent" },
          { channel: "telegram", conversationId: "b", status: "failed" },
        ]);
        expect(await store.claimDigestDelivery("2026-W10", "telegram", "b")).toBe(true);
        expect(await store.claimDigestDelivery("2026-W10", "telegram", "b")).toBe(false);
        expect(await store.digestDeliveries("2026-W12")).toEqual([]);
      });

      it("lets a claim stuck in 'sending' for more than 10 minutes be taken over", async () => {
        vi.useFakeTimers({ toFake: ["Date"] });
        vi.setSystemTime(new Date("2026-03-02T07:00:00.000Z"));
        expect(await store.claimDigestDelivery("2026-W10", "web", "s")).toBe(true);
        vi.setSystemTime(new Date("2026-03-02T07:09:00.000Z"));
        expect(await store.claimDigestDelivery("2026-W10", "web", "s")).toBe(false);
        vi.setSystemTime(new Date("2026-03-02T07:10:30.000Z"));
        expect(await store.claimDigestDelivery("2026-W10", "web", "s")).toBe(true);
        expect(await store.claimDigestDelivery("2026-W10", "web", "s")).toBe(false);
        await store.markDigestDelivered("2026-W10", "web", "s", true);
        vi.setSystemTime(new Date("2026-03-09T07:00:00.000Z"));
        expect(await store.claimDigestDelivery("2026-W10", "web", "s")).toBe(false);
      });

      it("gives each chat to exactly one of two instances claiming at the same time", async () => {
        const second = await other();
        const chats = Array.from({ length: 25 }, (_, i) => `chat-${i}`);
        const results = await Promise.all(
          chats.flatMap((c) => [store.claimDigestDelivery("2026-W10", "telegram", c), second.claimDigestDelivery("2026-W10", "telegram", c)]),
        );
        for (let i = 0; i < chats.length; i++) expect([results[2 * i], results[2 * i + 1]].filter(Boolean)).toHaveLength(1);
        // Retrying a failed chat is also taken by exactly one.
        await store.markDigestDelivered("2026-W10", "telegram", "chat-0", false, "x");
        const retry = await Promise.all([store.claimDigestDelivery("2026-W10", "telegram", "chat-0"), second.claimDigestDelivery("2026-W10", "telegram", "chat-0")]);
        expect(retry.filter(Boolean)).toHaveLength(1);
      });

      it("claims a job run once per period across instances", async () => {
        const second = await other();
        const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? store : second).claimJobRun("digest", "2026-W10")));
        expect(runs.filter(Boolean)).toHaveLength(1);
        expect(await store.claimJobRun("digest", "2026-W10")).toBe(false);
        expect(await store.claimJobRun("digest", "2026-W11")).toBe(true);
        expect(await second.claimJobRun("reminders", "2026-W10")).toBe(true);
      });
    });

    describe("state, outbox, rate limits", () => {
      it("stores and overwrites state values", async () => {
        expect(await store.getState("digest:lastSentAt")).toBeUndefined();
        await store.setState("digest:lastSentAt", "2026-03-02T07:00:00.000Z");
        await store.setState("digest:lastSentAt", "2026-03-09T07:00:00.000Z");
        expect(await store.getState("digest:lastSentAt")).toBe("2026-03-09T07:00:00.000Z");
      });

      it("hands out outbox messages once, in order, per conversation", async () => {
        await store.pushOutbox("web", "s1", "eins");
        await store.pushOutbox("web", "s2", "fremd");
        await store.pushOutbox("web", "s1", "zwei");
        const got = await store.pullOutbox("web", "s1");
        expect(got.map((m) => m.text)).toEqual(["eins", "zwei"]);
        expect(got[0].id).toBeLessThan(got[1].id);
        expect(got[0].createdAt).toMatch(ISO);
        expect(await store.pullOutbox("web", "s1")).toEqual([]);
        expect((await store.pullOutbox("web", "s2")).map((m) => m.text)).toEqual(["fremd"]);
      });

      it("delivers each outbox message to only one of two instances polling at the same time", async () => {
        const second = await other();
        for (let i = 0; i < 20; i++) await store.pushOutbox("web", "s1", `m${i}`);
        const pulls = await Promise.all([store, second, store, second].map((s) => s.pullOutbox("web", "s1")));
        const texts = pulls.flat().map((m) => m.text);
        expect(texts.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`).sort());
      });

      it("limits events per key, with counters shared by every instance", async () => {
        const second = await other();
        const a = store.rateLimiter("questions", 3, 60);
        const b = second.rateLimiter("questions", 3, 60);
        expect(await a.allow("telegram:u1")).toBe(true);
        expect(await b.allow("telegram:u1")).toBe(true);
        expect(await a.allow("telegram:u1")).toBe(true);
        expect(await b.allow("telegram:u1")).toBe(false);
        expect(await a.allow("telegram:u1")).toBe(false);
        expect(await a.allow("telegram:u2")).toBe(true);
        // Another limiter name has its own counters.
        expect(await store.rateLimiter("logins", 1, 60).allow("telegram:u1")).toBe(true);
      });

      it("tells how long a blocked key waits, forgets a key on reset and gives one point back", async () => {
        const second = await other();
        const a = store.rateLimiter("staff-login-name", 2, 900);
        const b = second.rateLimiter("staff-login-name", 2, 900);
        expect(await a.take("karl")).toBeUndefined();
        expect(await b.take("karl")).toBeUndefined();
        const wait = await a.take("karl");
        expect(wait).toBeGreaterThan(850);
        expect(wait).toBeLessThanOrEqual(900);
        await b.reset("karl");
        expect(await a.take("karl")).toBeUndefined();
        expect(await a.take("karl")).toBeUndefined();
        await second.rateLimiter("staff-login-name", 2, 900).giveBack("karl");
        expect(await a.take("karl")).toBeUndefined();
        expect(await b.take("karl")).toBeGreaterThan(0);
      });
    });

    describe("invites and members", () => {
      it("redeems an invite once and makes the user a member", async () => {
        await store.createInvite("ABCD-1234", "admin");
        expect(await store.isMember("telegram", "u1")).toBe(false);
        expect(await store.redeemInvite("ABCD-1234", "telegram", "u1")).toBe(true);
        expect(await store.isMember("telegram", "u1")).toBe(true);
        expect(await store.isMember("teams", "u1")).toBe(false);
        expect(await store.redeemInvite("ABCD-1234", "telegram", "u2")).toBe(false);
        expect(await store.redeemInvite("NOPE", "telegram", "u2")).toBe(false);
        expect(await store.isMember("telegram", "u2")).toBe(false);
        expect(await store.listInvites()).toEqual([
          { code: "ABCD-1234", createdBy: "admin", createdAt: expect.stringMatching(ISO), usedBy: "telegram:u1", usedAt: expect.stringMatching(ISO) },
        ]);
      });

      it("lets only one of two instances redeem the same code", async () => {
        const second = await other();
        await store.createInvite("RACE-0001", "admin");
        const results = await Promise.all([store.redeemInvite("RACE-0001", "telegram", "a"), second.redeemInvite("RACE-0001", "teams", "b")]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect([await store.isMember("telegram", "a"), await store.isMember("teams", "b")].filter(Boolean)).toHaveLength(1);
      });

      it("adds members idempotently and lists invites newest first", async () => {
        await store.addMember("teams", "x", "admin");
        await store.addMember("teams", "x", "again");
        expect(await store.isMember("teams", "x")).toBe(true);
        vi.useFakeTimers({ toFake: ["Date"] });
        vi.setSystemTime(new Date("2026-01-01T10:00:00.000Z"));
        await store.createInvite("OLD", "admin");
        vi.setSystemTime(new Date("2026-01-02T10:00:00.000Z"));
        await store.createInvite("NEW", "admin");
        const invites = await store.listInvites();
        expect(invites.map((i) => i.code)).toEqual(["NEW", "OLD"]);
        expect(invites[0].usedBy).toBeUndefined();
      });
    });

    describe("statistics", () => {
      it("counts questions, answers, hand-overs and feedback per ISO week", async () => {
        const a = await store.addTurn(turn({ action: "answer" }));
        const b = await store.addTurn(turn({ action: "handover" }));
        await store.addTurn(turn({ action: "smalltalk" }));
        await store.addTurn(turn({ action: "refuse" }));
        // Commands and button presses ("/fristen", "/foerder verein") are answered too, but they are no questions.
        await store.addTurn(turn({ action: "answer", question: "/fristen" }));
        // An answer with a part of its message handed over went to staff too.
        await store.addTurn(turn({ action: "answer", question: "Wie hoch ist die Pauschale? Und was kostet ein Festzelt?", reasons: ["ask1:p=0.99:faq-1", "handover:part:7"] }));
        await store.setFeedback(a, 1);
        await store.setFeedback(b, -1);
        const stats = await store.weeklyStats(2);
        expect(stats).toHaveLength(1);
        expect(stats[0]).toMatchObject({ questions: 3, answered: 1, handedOver: 2, thumbsUp: 1, thumbsDown: 1 });
        expect(stats[0].week).toMatch(/^\d{4}-W\d{2}$/);
      });

      it("counts topics with up to three newest example questions", async () => {
        const since = new Date(Date.now() - 60_000).toISOString();
        for (let i = 1; i <= 4; i++) await store.addTurn(turn({ action: "handover", question: `H${i}`, topics: ["bau"] }));
        const down = await store.addTurn(turn({ action: "answer", question: "A1", topics: ["foerderung", "bau"] }));
        await store.addTurn(turn({ action: "answer", question: "A2", topics: [] }));
        await store.addTurn(turn({ action: "smalltalk", question: "Hallo", topics: ["gruss"] }));
        await store.setFeedback(down, -1);
        expect(await store.topicCounts(since, "handover")).toEqual([{ topic: "bau", count: 4, examples: ["H4", "H3", "H2"] }]);
        expect(await store.topicCounts(since, "thumbs_down")).toEqual([
          { topic: "foerderung", count: 1, examples: ["A1"] },
          { topic: "bau", count: 1, examples: ["A1"] },
        ]);
        expect(await store.topicCounts(since, "all")).toEqual([
          { topic: "bau", count: 5, examples: ["A1", "H4", "H3"] },
          { topic: "(ohne Thema)", count: 1, examples: ["A2"] },
          { topic: "foerderung", count: 1, examples: ["A1"] },
        ]);
        expect(await store.topicCounts(new Date(Date.now() + 60_000).toISOString(), "all")).toEqual([]);
        // A part handed over beside an answer counts for the gaps as well.
        await store.addTurn(turn({ action: "answer", question: "P1", topics: ["bau"], reasons: ["handover:part:9"] }));
        expect(await store.topicCounts(since, "handover")).toEqual([{ topic: "bau", count: 5, examples: ["P1", "H4", "H3"] }]);
      });
      it("counts how often each entry was a source of an answer (once per answer, sections of an issue together)", async () => {
        const since = new Date(Date.now() - 60_000).toISOString();
        await store.addTurn(turn({ action: "answer", sourceIds: ["nl-2021-06#4", "nl-2021-06#5", "faq-a"] }));
        await store.addTurn(turn({ action: "answer", sourceIds: ["faq-a"] }));
        await store.addTurn(turn({ action: "handover", sourceIds: ["faq-b"] }));
        const usage = await store.sourceUsage(since);
        expect(Object.fromEntries(usage)).toEqual({ "nl-2021-06": 1, "faq-a": 2 });
        expect((await store.sourceUsage(new Date(Date.now() + 60_000).toISOString())).size).toBe(0);
      });
    });

    describe("data protection", () => {
      it("exports and deletes one user's turns and tickets, and nobody else's", async () => {
        const mine = await store.addTurn(turn());
        await store.addTurn(turn({ userId: "u2" }));
        await store.addTurn(turn({ channel: "teams" }));
        const t = await store.createTicket(ticket());
        await store.createTicket(ticket({ userId: "u2" }));
        const exported = await store.exportUserData("telegram", "u1");
        expect(exported.turns.map((x) => x.id)).toEqual([mine]);
        expect(exported.tickets.map((x) => x.id)).toEqual([t.id]);
        expect(exported.tickets[0].messages[0].text).toBe("Können Sie mich zurückrufen?");
        expect(await store.deleteUserData("telegram", "u1")).toBe(2);
        expect(await store.exportUserData("telegram", "u1")).toEqual({ turns: [], tickets: [] });
        expect((await store.exportUserData("telegram", "u2")).turns).toHaveLength(1);
        expect((await store.exportUserData("teams", "u1")).turns).toHaveLength(1);
        expect(await store.deleteUserData("telegram", "u1")).toBe(0);
      });

      it("also forgets the person's private chat: its address, pending messages and digest subscription", async () => {
        for (const id of ["u1", "u2"]) {
          await store.saveConversation({ channel: "web", conversationId: id, isGroup: false, reference: { session: id } });
          await store.subscribe({ channel: "web", conversationId: id });
          await store.pushOutbox("web", id, "Antwort");
        }
        await store.deleteUserData("web", "u1");
        expect(await store.getConversation("web", "u1")).toBeUndefined();
        expect(await store.isSubscribed("web", "u1")).toBe(false);
        expect(await store.pullOutbox("web", "u1")).toEqual([]);
        expect(await store.getConversation("web", "u2")).toBeDefined();
        expect(await store.isSubscribed("web", "u2")).toBe(true);
      });

      it("purges old turns and old closed tickets, keeping open ones", async () => {
        vi.useFakeTimers({ toFake: ["Date"] });
        vi.setSystemTime(new Date("2025-01-10T10:00:00.000Z"));
        await store.addTurn(turn({ question: "alt" }));
        const oldClosed = await store.createTicket(ticket());
        await store.closeTicket(oldClosed.id, "s");
        const oldOpen = await store.createTicket(ticket({ conversationId: "c2" }));
        vi.setSystemTime(new Date("2026-01-10T10:00:00.000Z"));
        await store.addTurn(turn({ question: "neu" }));
        const newClosed = await store.createTicket(ticket({ conversationId: "c3" }));
        await store.closeTicket(newClosed.id, "s");
        await store.setTicketStaffPost(oldClosed.id, "-100:42");
        // What the purge will remove, so the staff chats can clear their posts first.
        expect(await store.closedTicketsBefore("2025-06-01T00:00:00.000Z")).toEqual([{ id: oldClosed.id, staffPostRef: "-100:42" }]);
        expect(await store.purgeOlderThan("2025-06-01T00:00:00.000Z")).toBe(2);
        expect(await store.closedTicketsBefore("2025-06-01T00:00:00.000Z")).toEqual([]);
        expect((await store.recentTurns("telegram", "c1", 10)).map((t) => t.question)).toEqual(["neu"]);
        expect(await store.getTicket(oldClosed.id)).toBeUndefined();
        expect((await store.getTicket(oldOpen.id))?.status).toBe("open");
        expect((await store.getTicket(newClosed.id))?.status).toBe("closed");
      });

      it("removes everything else past the cut-off too: unfetched staff answers, unsubscribed chat addresses, idle members", async () => {
        vi.useFakeTimers({ toFake: ["Date"] });
        vi.setSystemTime(new Date("2025-01-10T10:00:00.000Z"));
        for (const id of ["old-private", "old-group"]) await store.saveConversation({ channel: "telegram", conversationId: id, isGroup: id.endsWith("group"), reference: { chatId: 1, name: "Anna" } });
        await store.subscribe({ channel: "telegram", conversationId: "old-group" });
        await store.pushOutbox("web", "w1", "Antwort des Teams");
        for (const u of ["idle", "active"]) await store.addMember("telegram", u, "invite:ABCD…");
        const oldTurn = await store.addTurn(turn({ question: "alt" }));
        await store.setState(`${TURN_REFERENCE_PREFIX}teams:a:old:r1`, String(oldTurn));
        await store.setState("other:key", String(oldTurn));
        vi.setSystemTime(new Date("2026-01-10T10:00:00.000Z"));
        const newTurn = await store.addTurn(turn({ userId: "active", conversationId: "active" }));
        await store.setState(`${TURN_REFERENCE_PREFIX}teams:a:new:r2`, String(newTurn));
        await store.purgeOlderThan("2025-06-01T00:00:00.000Z");
        // A reference to a deleted turn goes with it (its key names the chat); others stay.
        expect((await store.listState(TURN_REFERENCE_PREFIX)).map((e) => e.key)).toEqual([`${TURN_REFERENCE_PREFIX}teams:a:new:r2`]);
        expect(await store.getState("other:key")).toBe(String(oldTurn));
        expect(await store.getConversation("telegram", "old-private")).toBeUndefined();
        // A group that still receives the digest keeps its address.
        expect(await store.getConversation("telegram", "old-group")).toBeDefined();
        expect(await store.pullOutbox("web", "w1")).toEqual([]);
        expect(await store.isMember("telegram", "idle")).toBe(false);
        expect(await store.isMember("telegram", "active")).toBe(true);
      });

      it("closes tickets left open past the cut-off and empties every personal field, once", async () => {
        vi.useFakeTimers({ toFake: ["Date"] });
        vi.setSystemTime(new Date("2025-01-10T10:00:00.000Z"));
        const open = await store.createTicket(ticket({ conversationId: "c2" }));
        const answered = await store.createTicket(ticket({ conversationId: "c3", userId: "u3" }));
        await store.answerTicket(answered.id, "jana", "Rufen Sie bitte Frau Muster an.");
        vi.setSystemTime(new Date("2026-01-10T10:00:00.000Z"));
        const recent = await store.createTicket(ticket({ conversationId: "c4", userId: "u4" }));
        const expired = await store.expireStaleTickets("2025-06-01T00:00:00.000Z");
        expect(expired.map((t) => t.id).sort()).toEqual([open.id, answered.id].sort());
        for (const id of [open.id, answered.id]) {
          const t = (await store.getTicket(id))!;
          expect(t.status).toBe("closed");
          expect(JSON.stringify(t)).not.toMatch(/Anna|Kell am See|zurückrufen|Muster|Hallo|Entwurf|"u1"|"u3"|"c2"|"c3"/);
        }
        expect((await store.getTicket(recent.id))?.status).toBe("open");
        expect(await store.expireStaleTickets("2025-06-01T00:00:00.000Z")).toEqual([]);
        expect((await store.exportUserData("telegram", "u1")).tickets).toEqual([]);
      });
    });

    describe("errors", () => {
      it("throws StoreError with the driver's error as cause", async () => {
        await store.createInvite("DUP", "admin");
        const err = await store.createInvite("DUP", "admin").then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).cause).toBeInstanceOf(Error);
      });

      it("throws StoreError after close, and closing twice is harmless", async () => {
        const s = await other();
        await s.close();
        await s.close();
        const err = await s.getState("k").then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).cause).toBeDefined();
      });
    });
  });
});

