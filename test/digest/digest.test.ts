import { afterEach, beforeEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { sqliteStore } from "../../src/store/sql-store.js";
import type { Store } from "../../src/store/store.js";
import { composeDigest, programmeDeadlines, upcomingDeadlines } from "../../src/digest/compose.js";
import { loadProgrammes } from "../../src/funding/programmes.js";
import { Purposes } from "../../src/funding/purposes.js";
import { deliverDigest } from "../../src/digest/deliver.js";
import { handleDigestCommand } from "../../src/digest/digest-command.js";
import { buildIndex, type DocSummary } from "../../src/retrieval/build-index.js";
import { HashedNgramEmbedder } from "../../src/retrieval/hashed-ngram-embedder.js";
import { HybridRetriever } from "../../src/retrieval/hybrid-retriever.js";
import { RecipientGoneError, type Sender } from "../../src/core/ports.js";
import type { ConversationRecord } from "../../src/store/store.js";
import { copyKnowledge, tempDir } from "../support/temp.js";
import { silentLog } from "../support/core.js";

const TZ = "Europe/Berlin";

function recordingSender(fail: (c: ConversationRecord) => Error | undefined = () => undefined) {
  const sent: { conv: string; text: string }[] = [];
  const sender: Sender = {
    channel: "telegram",
    async send(conv, msg) {
      const err = fail(conv);
      if (err) throw err;
      sent.push({ conv: conv.conversationId, text: msg.text });
    },
  };
  return { sent, sender };
}

describe("weekly digest", () => {
  let d: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(async () => {
    d = tempDir();
    store = sqliteStore(join(d.dir, "db.sqlite"));
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    d.cleanup();
  });

  async function subscribe(id: string) {
    await store.saveConversation({ channel: "telegram", conversationId: id, isGroup: true, reference: { chatId: id } });
    await store.subscribe({ channel: "telegram", conversationId: id, createdBy: "admin" });
  }

  it("opts a group in and out; only admins may switch it in groups", async () => {
    const base = { store, channel: "telegram" as const, conversationId: "-100", userId: "u", isGroup: true, cron: "0 8 * * 1", timezone: TZ };
    expect(await handleDigestCommand({ ...base, arg: "an", isAdmin: false })).toMatch(/nur Administratorinnen/);
    expect(await store.isSubscribed("telegram", "-100")).toBe(false);
    expect(await handleDigestCommand({ ...base, arg: "an", isAdmin: true })).toMatch(/jetzt eingeschaltet.*Nächster Wochenüberblick: Montag/s);
    expect(await store.isSubscribed("telegram", "-100")).toBe(true);
    expect(await handleDigestCommand({ ...base, arg: "", isAdmin: false })).toMatch(/ist für diesen Chat eingeschaltet/);
    expect(await handleDigestCommand({ ...base, arg: "aus", isAdmin: true })).toMatch(/jetzt ausgeschaltet/);
    expect(await store.isSubscribed("telegram", "-100")).toBe(false);
  });

  it("lists deadlines inside the window, inclusive, and rolls yearly ones forward", async () => {
    const docs = [{
      id: "faq-x", kind: "faq", title: "x", file: "x", topics: ["leader"], summary: "", firstSeen: "", updatedAt: "",
      funding: [{ id: "p", programme: "Programm P", funder: "f", amount: "a", applicants: "b", contact: "c", link: "https://example.org/p",
        deadlines: [{ date: "2026-04-15", label: "jährlich", yearly: true }, { date: "2027-01-10", label: "einmalig", yearly: false }] }],
    }] as DocSummary[];
    // 2027-03-04 + 42 days = 2027-04-15: the yearly deadline is exactly on the boundary.
    expect(upcomingDeadlines(docs, new Date("2027-03-04T08:00:00+01:00"), 42, TZ).map((x) => x.date)).toEqual(["2027-04-15"]);
    expect(upcomingDeadlines(docs, new Date("2027-03-03T08:00:00+01:00"), 42, TZ)).toEqual([]);
    expect(upcomingDeadlines(docs, new Date("2026-12-01T08:00:00+01:00"), 42, TZ).map((x) => x.label)).toEqual(["einmalig"]);
    // A deadline today still counts; yesterday's does not.
    expect(upcomingDeadlines(docs, new Date("2027-01-10T07:00:00+01:00"), 42, TZ).map((x) => x.label)).toEqual(["einmalig"]);
    expect(upcomingDeadlines(docs, new Date("2027-01-11T07:00:00+01:00"), 42, TZ)).toEqual([]);
  });

  it("lists the Förder-Finder's programme deadlines in the window, once each", async () => {
    const programmes = loadProgrammes("knowledge", new Purposes().ids);
    const pflege = programmes.find((p) => p.id === "initiative-ehrenamt-pflege")!;
    expect(pflege.deadline).toBe("2027-04-30");
    // 42 days before: in the window; 43 days before: not yet; the day after: gone.
    expect(programmeDeadlines(programmes, new Date("2027-03-19T08:00:00+01:00"), 42, TZ, []).map((d) => d.programme)).toEqual([pflege.name]);
    expect(programmeDeadlines(programmes, new Date("2027-03-18T08:00:00+01:00"), 42, TZ, [])).toEqual([]);
    expect(programmeDeadlines(programmes, new Date("2027-05-01T08:00:00+02:00"), 42, TZ, [])).toEqual([]);
    // Listed by a newsletter already with the same date: not twice.
    const fromNewsletter = [{ date: "2027-04-30", label: "Antrag", programme: "Initiative des Ehrenamts (Land RLP)", link: "" }];
    expect(programmeDeadlines(programmes, new Date("2027-03-19T08:00:00+01:00"), 42, TZ, fromNewsletter)).toEqual([]);
    const digest = await composeDigest({ docs: [], store, now: new Date("2027-04-01T08:00:00+02:00"), deadlineDays: 42, timezone: TZ, programmes });
    expect(digest.text.split(pflege.name)).toHaveLength(2);
    expect(digest.text).toContain("• 30. April 2027 (noch 29 Tage): ");
  });

  it("with no deadline in the window names the next known one, and in a week without questions shows an FAQ entry in turn", async () => {
    const programmes = loadProgrammes("knowledge", new Purposes().ids);
    const faq = (id: string, title: string, summary: string) => ({ id, kind: "faq", title, file: id, topics: ["unfallversicherung"], summary, firstSeen: "", updatedAt: "", funding: [] }) as DocSummary;
    const docs = [faq("faq-a", "Sind Helfer versichert?", "Ja. Über die Unfallkasse."), faq("faq-b", "Wer zahlt beim Dorffest?", "Die Gemeinde.")];
    const d1 = await composeDigest({ docs, store, now: new Date("2026-12-01T08:00:00+01:00"), deadlineDays: 42, timezone: TZ, programmes });
    expect(d1.deadlines).toEqual([]);
    expect(d1.text).toContain("Keine Frist in den nächsten 6 Wochen. Die nächste bekannte:\n• 30. April 2027 (noch 150 Tage): ");
    expect(d1.questionOfWeek?.rotation).toBe(true);
    expect(d1.text).toContain("Frage der Woche aus unseren häufigen Fragen:");
    // Neither a far deadline nor a rotating FAQ is news: DIGEST_SEND_EMPTY still sees an empty week.
    expect(d1.empty).toBe(true);
    const d2 = await composeDigest({ docs, store, now: new Date("2026-12-08T08:00:00+01:00"), deadlineDays: 42, timezone: TZ, programmes });
    expect(d2.questionOfWeek?.example).not.toBe(d1.questionOfWeek?.example);
  });

  it("says 'keine neuen Meldungen' when nothing is new, and lists knowledge changed after the baseline", async () => {
    const k = copyKnowledge();
    const e = new HashedNgramEmbedder();
    try {
      await buildIndex({ knowledgeDir: k.dir, dataDir: d.dir, embedder: e });
      let r = await HybridRetriever.load(d.dir, e);
      const now = new Date("2026-11-30T08:00:00+01:00");
      const quiet = await composeDigest({ docs: r.docs, baselineAt: r.manifest.baselineAt, store, now, deadlineDays: 42, timezone: TZ });
      expect(quiet.empty).toBe(true);
      expect(quiet.text).toMatch(/keine neuen Meldungen/);
      expect(quiet.key).toBe("digest-2026-W49");

      writeFileSync(join(k.dir, "faq/faq-neu.md"), `---
kind: faq
id: faq-neu
question: "Gibt es etwas Neues zur Mitfahrbank?"
topics: [mitfahrbank]
stand: "2026-11-20"
link: "https://example.org/neu"
---
Ja, neue Mitfahrbänke werden gefördert. Das ist ein Testeintrag.
`);
      await new Promise((res) => setTimeout(res, 5));
      await buildIndex({ knowledgeDir: k.dir, dataDir: d.dir, embedder: e });
      r = await HybridRetriever.load(d.dir, e);
      const news = await composeDigest({ docs: r.docs, baselineAt: r.manifest.baselineAt, store, now: new Date(Date.now() + 1000), deadlineDays: 42, timezone: TZ });
      expect(news.empty).toBe(false);
      expect(news.items.map((i) => i.title)).toEqual(["Gibt es etwas Neues zur Mitfahrbank?"]);
      expect(news.text).toMatch(/Neu in unseren Unterlagen:\n• Gibt es etwas Neues zur Mitfahrbank\? – Ja, neue Mitfahrbänke werden gefördert\./);
    } finally {
      k.cleanup();
    }
  });

  it("shows an issue with three of its sections and a link to its own page; without a new one, the current issue", async () => {
    const issue = { id: "nl-2026-11", kind: "newsletter", title: "Newsletter Nr. 77 – November 2026", file: "n", issue: 77, date: "2026-11-16", link: "https://example.org/nl",
      topics: [], summary: "Rückblick.", headings: ["Rückblick: Sechs Jahre", "Recht: Versicherung", "Förderung: Nachbarschaftshilfe", "Aus der Praxis: Dorfladen"], firstSeen: "", updatedAt: "", funding: [] } as DocSummary;
    const fresh = await composeDigest({ docs: [issue], store, now: new Date("2026-11-20T08:00:00+01:00"), deadlineDays: 42, timezone: TZ, publicUrl: "https://ortslotse.example.de/" });
    expect(fresh.text).toContain("Neuer Newsletter:\n• Newsletter Nr. 77 – November 2026\n  – Rückblick: Sechs Jahre\n  – Recht: Versicherung\n  – Förderung: Nachbarschaftshilfe\n  https://ortslotse.example.de/newsletter/77");
    expect(fresh.text).not.toContain("Aus der Praxis: Dorfladen");
    const later = await composeDigest({ docs: [issue], store, now: new Date("2026-12-07T08:00:00+01:00"), deadlineDays: 42, timezone: TZ });
    expect(later.empty).toBe(true);
    expect(later.text).toContain("Aktueller Newsletter:\n• Newsletter Nr. 77 – November 2026");
    expect(later.text).toContain("https://example.org/nl");
  });

  it("lists every issue published in the week, also older-dated ones, however many FAQ entries changed", async () => {
    const now = new Date("2026-12-07T08:00:00+01:00");
    const published = "2026-12-05T10:00:00.000Z";
    const issue = (n: number, date: string) => ({ id: `nl-${n}`, kind: "newsletter", title: `Newsletter Nr. ${n}`, file: `${n}.html`, issue: n, date, link: "https://example.org/nl",
      topics: [], summary: "", headings: [], firstSeen: published, updatedAt: published, funding: [] }) as DocSummary;
    const faq = (i: number) => ({ id: `faq-${i}`, kind: "faq", title: `Frage ${i}?`, file: `faq-${i}.md`, topics: [], summary: "", firstSeen: published, updatedAt: `2026-12-05T11:0${i}:00.000Z`, funding: [] }) as DocSummary;
    const docs = [issue(78, "2026-12-01"), issue(76, "2026-10-01"), issue(74, "2026-08-01"), ...[1, 2, 3, 4, 5, 6].map(faq)];
    const dg = await composeDigest({ docs, store, now, deadlineDays: 42, timezone: TZ });
    for (const n of [78, 76, 74]) expect(dg.text).toContain(`• Newsletter Nr. ${n}`);
    expect(dg.text.match(/• Frage \d\?/g)).toHaveLength(5);
  });

  it("names the most asked topic with a question from the knowledge, never a mayor's words", async () => {
    const docs = [{ id: "faq-u", kind: "faq", title: "Sind Helfer unfallversichert?", file: "f", topics: ["unfallversicherung"], summary: "Ja, über die Unfallkasse Rheinland-Pfalz.", firstSeen: "", updatedAt: "", funding: [] }] as DocSummary[];
    for (const q of ["Herr Meier aus Kell fragt nach Versicherung", "Unfall beim Dorffest in Ayl"]) {
      await store.addTurn({ channel: "telegram", conversationId: "1", userId: "u", question: q, action: "answer", answer: "a", confidence: 1, reasons: [], sourceIds: [], topics: ["unfallversicherung"] });
    }
    const dg = await composeDigest({ docs, store, now: new Date(), deadlineDays: 42, timezone: TZ });
    expect(dg.questionOfWeek).toEqual({ topic: "Unfallversicherung", example: "Sind Helfer unfallversichert?", answer: "Ja, über die Unfallkasse Rheinland-Pfalz." });
    // The question of the week comes with its short answer.
    expect(dg.text).toMatch(/„Sind Helfer unfallversichert\?“\nJa, über die Unfallkasse Rheinland-Pfalz\./);
    expect(dg.text).not.toMatch(/Meier|Kell|Ayl/);
  });

  it("delivers once per chat even when two runs overlap", async () => {
    await subscribe("1");
    await subscribe("2");
    const { sent, sender } = recordingSender();
    const digest = { key: "digest-2026-W49", text: "Hallo", empty: false, items: [], deadlines: [] };
    const opts = { store, senderFor: () => sender, log: silentLog, sleep: async () => undefined };
    const [a, b] = await Promise.all([deliverDigest(digest, opts), deliverDigest(digest, opts)]);
    expect(sent.map((s) => s.conv).sort()).toEqual(["1", "2"]);
    expect(a.sent + b.sent).toBe(2);
    const again = await deliverDigest(digest, opts);
    expect(again).toMatchObject({ sent: 0, skipped: 2 });
  });

  it("after a crash mid-run, finishes the remaining chats without repeating delivered ones", async () => {
    await subscribe("1");
    await subscribe("2");
    const digest = { key: "digest-2026-W49", text: "Hallo", empty: false, items: [], deadlines: [] };
    // The crashed run had delivered chat 1 and claimed chat 2 eleven minutes ago, then died.
    await store.claimDigestDelivery(digest.key, "telegram", "1");
    await store.markDigestDelivered(digest.key, "telegram", "1", true);
    await store.claimDigestDelivery(digest.key, "telegram", "2");
    const raw = new Database(join(d.dir, "db.sqlite"));
    raw.prepare(`UPDATE digest_deliveries SET updated_at=? WHERE conversation_id='2'`).run(new Date(Date.now() - 11 * 60_000).toISOString());
    raw.close();
    const { sent, sender } = recordingSender();
    const r = await deliverDigest(digest, { store, senderFor: () => sender, log: silentLog, sleep: async () => undefined });
    expect(sent.map((s) => s.conv)).toEqual(["2"]);
    expect(r).toMatchObject({ sent: 1, skipped: 1 });
  });

  it("retries with back-off, then reports; a blocked chat is unsubscribed", async () => {
    await subscribe("ok");
    await subscribe("flaky");
    await subscribe("blocked");
    let flakyCalls = 0;
    const { sent, sender } = recordingSender((c) => {
      if (c.conversationId === "blocked") return new RecipientGoneError("Forbidden: bot was blocked by the user");
      if (c.conversationId === "flaky" && ++flakyCalls < 3) return new Error("Bad Gateway");
      return undefined;
    });
    const pauses: number[] = [];
    const r = await deliverDigest({ key: "k1", text: "t", empty: false, items: [], deadlines: [] }, {
      store, senderFor: () => sender, log: silentLog, backoffMs: 100, sleep: async (ms) => void pauses.push(ms),
    });
    expect(sent.map((s) => s.conv).sort()).toEqual(["flaky", "ok"]);
    expect(pauses).toEqual([100, 200]);
    expect(r).toMatchObject({ sent: 2, unsubscribed: 1, failed: 0 });
    expect(await store.isSubscribed("telegram", "blocked")).toBe(false);
  });
});
