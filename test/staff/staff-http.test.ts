import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startApp } from "../support/core.js";
import { copyKnowledge, tempDir } from "../support/temp.js";
import { addStaffAccount } from "../../src/staff/accounts.js";
import { hashPassword } from "../../src/staff/auth.js";
import { Client, csrfOf, login, staffMember } from "../support/staff-client.js";
import { todayIso } from "../../src/staff/format.js";
import { parseMarkdownKnowledge } from "../../src/retrieval/markdown-loader.js";
import type { TicketInput } from "../../src/store/store.js";

type App = Awaited<ReturnType<typeof startApp>>;

async function mayorAsks(app: App, text: string) {
  const mayor = new Client(app.baseUrl);
  const res = await mayor.request("/api/chat", { json: { text } });
  const reply = JSON.parse(res.text) as { action: string; ticket?: number };
  return { mayor, reply };
}

function ticketInput(over: Partial<TicketInput> = {}): TicketInput {
  return {
    channel: "web", conversationId: "c-" + Math.random().toString(36).slice(2), userId: "u1", question: "Testfrage zum Vorgang",
    context: [], passages: [], reason: "low_confidence", topics: [], ...over,
  };
}

describe("staff area /staff over HTTP", () => {
  let app: App;
  let knowledge: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    knowledge = copyKnowledge();
    app = await startApp({ KNOWLEDGE_DIR: knowledge.dir });
  });
  afterAll(async () => {
    await app?.cleanup();
    knowledge?.cleanup();
  });

  it("keeps every waiting ticket reachable: oldest first, paged, with the real counts", async () => {
    const local = await startApp({ KNOWLEDGE_DIR: knowledge.dir });
    try {
      const ids: number[] = [];
      for (let i = 0; i < 230; i++) ids.push((await local.core.store.createTicket(ticketInput({ question: `Wartende Frage ${i}` }))).id);
      const { client } = await staffMember(local, "paging");
      const first = await client.get("/staff");
      expect(first.text).toContain("offen: 230");
      expect(first.text).toContain(`Nr. ${ids[0]}<`);
      expect(first.text).not.toContain(`Nr. ${ids[229]}<`);
      expect(first.text).toContain("Seite 1 von 3");
      const last = await client.get("/staff?seite=3");
      expect(last.text).toContain(`Nr. ${ids[229]}<`);
      expect(last.text).not.toContain(`Nr. ${ids[0]}<`);
    } finally {
      await local.cleanup();
    }
  });

  it("finds any Vorgang by number, name, Ortsgemeinde or a word of the question, also closed ones off the list", async () => {
    const local = await startApp({ KNOWLEDGE_DIR: knowledge.dir });
    try {
      const store = local.core.store;
      const old = await store.createTicket(ticketInput({ question: "Ärger mit der Unfallkasse wegen Herrn Kohl", userName: "Greta Weber", village: "Zerf" }));
      await store.answerTicket(old.id, "team", "Wir rufen Sie an.");
      await store.closeTicket(old.id, "team");
      // Thirty newer closed Vorgänge push it off the list's "Erledigt (zuletzt)".
      for (let i = 0; i < 31; i++) await store.closeTicket((await store.createTicket(ticketInput({ question: `Andere Frage ${i}` }))).id, "team");
      const other = await store.createTicket(ticketInput({ question: "Frist für 50%_Zuschuss?", village: "Kell am See" }));
      const { client } = await staffMember(local, "suche");
      expect((await client.get("/staff")).text).not.toContain(`Nr. ${old.id}<`);
      const found = async (q: string) => (await client.get(`/staff?suche=${encodeURIComponent(q)}`)).text;
      for (const q of ["ärger", "UNFALLKASSE kohl", "greta", "zerf", `Nr. ${old.id}`, "rufen sie an"]) {
        const page = await found(q);
        expect(page, q).toContain(`Nr. ${old.id}<`);
        expect(page, q).not.toContain(`Nr. ${other.id}<`);
      }
      // LIKE wildcards are plain characters; an unknown word finds nothing and says so.
      expect(await found("50%_")).toContain(`Nr. ${other.id}<`);
      expect(await found("%_")).not.toContain(`Nr. ${old.id}<`);
      const none = await found("Glasfaser <b>");
      expect(none).toContain("Kein Vorgang passt zu „Glasfaser &lt;b&gt;“.");
      expect(none).not.toContain("<b>");
    } finally {
      await local.cleanup();
    }
  });

  it("refuses pages and actions without login: pages redirect to the login, POSTs get 401", async () => {
    const c = new Client(app.baseUrl);
    for (const [path, next] of [["/staff", "%2Fstaff"], ["/staff/tickets/1", "%2Fstaff%2Ftickets%2F1"], ["/staff/luecken", "%2Fstaff%2Fluecken"]]) {
      const res = await c.get(path);
      expect(res.status, path).toBe(303);
      expect(res.location).toBe(`/staff/login?next=${next}`);
    }
    for (const path of ["/staff/tickets/1/erledigt", "/staff/tickets/1/antwort", "/staff/logout", "/staff/passwort"]) {
      const res = await c.post(path, { text: "x" });
      expect(res.status, path).toBe(401);
      expect(res.text).toContain("Bitte melden Sie sich an");
    }
    // A forged or unsigned session cookie is no session.
    c.cookies.set("ortslotse_staff", encodeURIComponent("admin:abc.def"));
    expect((await c.get("/staff")).status).toBe(303);
    const page = await c.get("/staff/login");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Anmelden");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
  });

  it("`npm run staff -- add` prints a one-time password that logs in and forces a new password", async () => {
    const cli = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli/staff.ts", "add", "Petra.Schmitt"], {
      env: { ...process.env, DATA_DIR: app.core.config.dataDir, KNOWLEDGE_DIR: knowledge.dir, LOG_LEVEL: "silent" },
    });
    const otp = /Einmal-Passwort: (\S+)/.exec(cli.stdout)?.[1] ?? "";
    expect(otp.length).toBeGreaterThanOrEqual(16);
    // Where the account went: the server must use the same data, or it does not know it.
    expect(cli.stdout).toContain(`Gespeichert in: ${app.core.config.dataDir}.`);
    const account = await app.core.store.getStaffByName("petra.schmitt");
    expect(account?.mustChangePassword).toBe(true);
    expect(account?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{20,}\$[\w-]{40,}$/);
    expect(account?.passwordHash).not.toContain(otp);

    const { client, res } = await login(app.baseUrl, "Petra.Schmitt", otp);
    expect(res.status).toBe(303);
    expect(res.location).toBe("/staff/passwort");
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("ortslotse_staff="))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/staff/);
    expect(setCookie).toMatch(/Max-Age=28800/);
    expect(setCookie).not.toMatch(/Secure/);

    // Until a new password is set, every page leads to the password form and actions are refused.
    expect((await client.get("/staff")).location).toBe("/staff/passwort");
    const form = await client.get("/staff/passwort");
    expect(form.text).toContain("Neues Passwort festlegen");
    const csrf = csrfOf(form.text);
    expect((await client.post("/staff/tickets/1/erledigt", { _csrf: csrf })).status).toBe(403);

    const short = await client.post("/staff/passwort", { _csrf: csrf, current: otp, next: "kurz123", repeat: "kurz123" });
    expect(short.status).toBe(422);
    expect(short.text).toContain("mindestens 12 Zeichen");
    const mismatch = await client.post("/staff/passwort", { _csrf: csrf, current: otp, next: "Eichenlaub am Saarufer", repeat: "Eichenlaub am Saarufer!" });
    expect(mismatch.text).toContain("stimmen nicht überein");
    const ok = await client.post("/staff/passwort", { _csrf: csrf, current: otp, next: "Eichenlaub am Saarufer", repeat: "Eichenlaub am Saarufer" });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe("/staff?hinweis=passwort");
    const list = await client.get(ok.location!);
    expect(list.status).toBe(200);
    expect(list.text).toContain("Ihr neues Passwort ist gespeichert.");
    expect((await app.core.store.getStaffByName("petra.schmitt"))?.mustChangePassword).toBe(false);

    // The one-time password is spent; the new one works.
    expect((await login(app.baseUrl, "petra.schmitt", otp)).res.status).toBe(401);
    expect((await login(app.baseUrl, "petra.schmitt", "Eichenlaub am Saarufer")).res.location).toBe("/staff");

    const listed = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli/staff.ts", "list"], {
      env: { ...process.env, DATA_DIR: app.core.config.dataDir, KNOWLEDGE_DIR: knowledge.dir },
    });
    expect(listed.stdout).toMatch(/petra\.schmitt\s+angelegt .*eigenes Passwort gesetzt/);
  });

  it("lists a handed-over web chat question, answers it into the mayor's chat, closes it and saves a FAQ draft", async () => {
    const { mayor, reply } = await mayorAsks(app, "Können Sie mich morgen zurückrufen?");
    expect(reply.action).toBe("handover");
    const id = reply.ticket!;
    const { client, csrf } = await staffMember(app, "anna");

    const list = await client.get("/staff");
    expect(list.text).toContain(`Nr. ${id}`);
    expect(list.text).toContain("Können Sie mich morgen zurückrufen?");
    expect(list.text).toMatch(/Offen – wartet auf das Team \([1-9]/);
    expect(list.text).toContain("Web-Chat");
    expect(list.text).toMatch(/gerade eben|seit \d+ Min\./);

    const page = await client.get(`/staff/tickets/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Vorgang Nr. ${id}`);
    expect(page.text).toContain("Übernehmen");
    expect(page.text).toContain("Gefundene Textstellen");
    expect(page.text).toContain("Entwurf des Ortslotsen");
    expect(page.text).toContain("Wunsch nach einem Menschen");
    expect(page.text).not.toContain("Erreichbar unter</dt>");
    // A number given in the web chat's form stands beside who asks, not only in the messages (user test).
    await mayor.request("/api/chat/contact", { json: { ticketId: id, name: "Heike Schmitt", village: "Kasel", reach: "0651 98765" } });
    expect((await client.get(`/staff/tickets/${id}`)).text).toContain("<dt>Erreichbar unter</dt><dd>0651 98765</dd>");

    const claim = await client.post(`/staff/tickets/${id}/uebernehmen`, { _csrf: csrf });
    expect(claim.location).toBe(`/staff/tickets/${id}?hinweis=uebernommen`);
    expect((await app.core.store.getTicket(id))?.status).toBe("claimed");
    expect((await client.get(claim.location!)).text).toContain("Sie haben den Vorgang übernommen.");

    const empty = await client.post(`/staff/tickets/${id}/antwort`, { _csrf: csrf, text: "   " });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain("Bitte schreiben Sie eine Antwort.");
    // Too long: nothing is sent, nothing is cut, the whole text comes back in the field with a German note.
    const long = `${"Das ist ein langer Absatz über Zuschüsse. ".repeat(100)}ENDE`;
    const tooLong = await client.post(`/staff/tickets/${id}/antwort`, { _csrf: csrf, text: long });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain("Die Antwort ist zu lang (höchstens 3500 Zeichen).");
    expect(tooLong.text).toContain("ENDE</textarea>");

    const answer = "Gern rufen wir Sie morgen zwischen 9 und 12 Uhr an. Ihre Ansprechpartnerin ist die Leitstelle Familie.";
    // As a browser sends a textarea: CRLF line breaks, here before a sign-off the FAQ draft must leave out.
    const sent = await client.post(`/staff/tickets/${id}/antwort`, { _csrf: csrf, text: `${answer}\r\n\r\nMit freundlichen Grüßen\r\nAnna Becker` });
    expect(sent.status).toBe(303);
    expect(sent.location).toBe(`/staff/tickets/${id}?hinweis=zugestellt`);
    const after = await client.get(sent.location!);
    expect(after.text).toContain("im Web-Chat beim nächsten Besuch der Person angezeigt");
    expect(after.text).toContain("Als FAQ veröffentlichen");
    expect(after.text).toContain(`<textarea id="faq-answer" name="answer" required>${answer}</textarea>`);
    const inbox = JSON.parse((await mayor.get("/api/chat/inbox")).text) as { messages: { text: string }[] };
    expect(inbox.messages).toHaveLength(1);
    expect(inbox.messages[0].text).toContain(`Anfrage Nr. ${id}`);
    expect(inbox.messages[0].text).toContain(answer);
    const answered = await app.core.store.getTicket(id);
    expect(answered?.status).toBe("answered");
    expect(answered?.staffMember).toBe("anna");
    expect((await client.get("/staff")).text).toMatch(/Beantwortet[^(]*\([1-9]/);

    // As a FAQ: question and answer as staff approved them, published live (no file on the server, no ingest).
    const generalQuestion = "Kann mich das Team der Kreisverwaltung zurückrufen?";
    const before = JSON.parse((await new Client(app.baseUrl).request("/api/chat", { json: { text: generalQuestion } })).text) as { action: string };
    expect(before.action).toBe("handover");
    const faq = await client.post(`/staff/tickets/${id}/faq`, {
      _csrf: csrf, question: generalQuestion, answer, topics: "", legal: "",
    });
    expect(faq.status).toBe(303);
    expect(faq.location).toBe(`/staff/tickets/${id}?faq=faq-kann-mich-das-team-der-kreisverwaltung#faq`);
    const saved = await client.get(faq.location!.replace(/#.*/, ""));
    expect(saved.text).toContain("faq/faq-kann-mich-das-team-der-kreisverwaltung.md");
    expect(saved.text).toContain("beantwortet diese Frage ab jetzt selbst");
    expect(existsSync(join(knowledge.dir, "faq", "faq-kann-mich-das-team-der-kreisverwaltung.md"))).toBe(false);
    const entry = (await app.core.knowledge.published.get("faq/faq-kann-mich-das-team-der-kreisverwaltung.md"))!;
    expect(entry.log.at(-1)).toMatchObject({ by: "anna", action: "veröffentlicht" });
    const content = Buffer.from(entry.content!, "base64").toString("utf8");
    const doc = parseMarkdownKnowledge("faq/faq-kann-mich-das-team-der-kreisverwaltung.md", content);
    expect(doc.kind).toBe("faq");
    expect(doc.id).toBe("faq-kann-mich-das-team-der-kreisverwaltung");
    expect(doc.faq?.question).toBe(generalQuestion);
    expect(doc.faq?.answer).toBe(answer);
    expect(doc.topics).toEqual(["allgemein"]);
    expect(doc.stand).toBe(todayIso("Europe/Berlin"));
    expect(doc.link).toBe("https://trier-saarburg.de/hauptamt-staerkt-ehrenamt/");
    expect(content).not.toContain("morgen zurückrufen?"); // only the text staff approved
    // Live at once: the same general question is now answered with the team's text.
    const now = JSON.parse((await new Client(app.baseUrl).request("/api/chat", { json: { text: generalQuestion } })).text) as { action: string; text: string };
    expect(now.action).toBe("answer");
    expect(now.text).toContain("zwischen 9 und 12 Uhr");
    // Publishing the same question again neither overwrites the first entry nor adds a second one beside it.
    const again = await client.post(`/staff/tickets/${id}/faq`, { _csrf: csrf, question: generalQuestion, answer: "Ja.", topics: "allgemein" });
    expect(again.status).toBe(422);
    expect(again.text).toContain("Diese Frage gibt es schon als FAQ-Eintrag");
    expect((await app.core.knowledge.published.get("faq/faq-kann-mich-das-team-der-kreisverwaltung.md"))!.content).toBe(entry.content);
    expect(await app.core.knowledge.published.get("faq/faq-kann-mich-das-team-der-kreisverwaltung-2.md")).toBeUndefined();
    expect((await app.core.store.getTicket(id))?.messages.at(-1)?.text).toContain("Als FAQ veröffentlicht");

    const closed = await client.post(`/staff/tickets/${id}/erledigt`, { _csrf: csrf });
    expect(closed.location).toBe(`/staff/tickets/${id}?hinweis=erledigt`);
    expect((await app.core.store.getTicket(id))?.status).toBe("closed");
    const closedPage = await client.get(closed.location!);
    expect(closedPage.text).toContain("Dieser Vorgang ist erledigt.");
    expect(closedPage.text).not.toContain("Antwort senden");
    expect((await client.get("/staff")).text).toMatch(/Erledigt \(zuletzt\) \([1-9]/);
  });

  it("tells the mayor when a Vorgang is closed without an answer, so nobody waits for one", async () => {
    const { mayor, reply } = await mayorAsks(app, "Unser Zuschuss für den Dorfplatz ist immer noch nicht überwiesen, können Sie nachschauen?");
    expect(reply.action).toBe("handover");
    const id = reply.ticket!;
    const { client, csrf } = await staffMember(app, "carla");
    const closed = await client.post(`/staff/tickets/${id}/erledigt`, { _csrf: csrf });
    expect(closed.location).toBe(`/staff/tickets/${id}?hinweis=erledigt`);
    const inbox = JSON.parse((await mayor.get("/api/chat/inbox")).text) as { messages: { text: string }[] };
    expect(inbox.messages).toHaveLength(1);
    expect(inbox.messages[0].text).toMatch(new RegExp(`Anfrage Nr. ${id} \\(„Unser Zuschuss für den Dorfplatz .*“\\) abgeschlossen, ohne hier zu antworten`));
    // Closing it again says nothing more.
    await client.post(`/staff/tickets/${id}/erledigt`, { _csrf: csrf });
    expect((JSON.parse((await mayor.get("/api/chat/inbox")).text) as { messages: unknown[] }).messages).toHaveLength(0);
  });

  it("keeps the typed answer when the Vorgang was deleted meanwhile (the person deleted their data)", async () => {
    const t = await app.core.store.createTicket(ticketInput({ channel: "web", conversationId: "gone-1", userId: "gone-1" }));
    const { client, csrf } = await staffMember(app, "clara");
    await app.core.handover.eraseUser("web", "gone-1");
    const res = await client.post(`/staff/tickets/${t.id}/antwort`, { _csrf: csrf, text: "Die Antwort <b>für</b> Sie." });
    expect(res.status).toBe(404);
    expect(res.text).toContain(`Vorgang Nr. ${t.id} gibt es nicht mehr: Die Person hat ihre Daten gelöscht`);
    expect(res.text).toContain("Die Antwort &lt;b&gt;für&lt;/b&gt; Sie.</textarea>");
  });

  it("shows the delivery error and keeps the ticket open when the mayor's channel is not connected", async () => {
    const t = await app.core.store.createTicket(ticketInput({ channel: "telegram", conversationId: "4711" }));
    const { client, csrf } = await staffMember(app, "bernd");
    const res = await client.post(`/staff/tickets/${t.id}/antwort`, { _csrf: csrf, text: "Das klären wir telefonisch." });
    expect(res.status).toBe(502);
    expect(res.text).toContain("Nicht zugestellt: Kanal telegram ist nicht verbunden");
    expect(res.text).toContain("Das klären wir telefonisch."); // the text stays in the field
    expect((await app.core.store.getTicket(t.id))?.status).toBe("open");
  });

  it("refuses FAQ drafts with personal data or too many words and writes nothing", async () => {
    const long = Array.from({ length: 150 }, (_, i) => `Wort${i}`).join(" ") + ".";
    const t = await app.core.store.createTicket(ticketInput({ question: "Rufen Sie mich an unter 0651 123456, es geht um den Dorfladen?", topics: ["dorfladen"] }));
    await app.core.store.answerTicket(t.id, "carla", long);
    const { client, csrf } = await staffMember(app, "carla");
    const page = await client.get(`/staff/tickets/${t.id}`);
    expect(page.text).toContain("[Telefon entfernt]"); // the proposal already strips the number
    expect(page.text).toContain("gekürzt");
    expect(page.text).toContain('value="dorfladen"');
    const before = readdirSync(join(knowledge.dir, "faq")).length;
    const pii = await client.post(`/staff/tickets/${t.id}/faq`, { _csrf: csrf, question: "Rufen Sie mich an unter 0651 123456?", answer: "Ja, gern.", topics: "dorfladen" });
    expect(pii.status).toBe(422);
    expect(pii.text).toContain("Telefonnummern");
    const tooLong = await client.post(`/staff/tickets/${t.id}/faq`, { _csrf: csrf, question: "Wie gründet man einen Dorfladen?", answer: long, topics: "dorfladen" });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain("150 Wörter");
    const badTopic = await client.post(`/staff/tickets/${t.id}/faq`, { _csrf: csrf, question: "Wie gründet man einen Dorfladen?", answer: "Als Genossenschaft.", topics: "Dorf Laden!" });
    expect(badTopic.status).toBe(422);
    expect(readdirSync(join(knowledge.dir, "faq")).length).toBe(before);
  });

  it("offers no FAQ for the answer to an individual case, only a pointer to Wissen", async () => {
    const { reply } = await mayorAsks(app, "Unser Antrag beim Regionalbudget ist seit 3 Monaten nicht beantwortet. Können Sie nachfragen?");
    const t = (await app.core.store.getTicket(reply.ticket!))!;
    expect(t.reason).toBe("individual_case");
    const { client, csrf } = await staffMember(app, "erna");
    const sent = await client.post(`/staff/tickets/${t.id}/antwort`, { _csrf: csrf, text: "Wir haben bei der LAG nachgefragt, der Antrag ist in Bearbeitung." });
    expect(sent.status).toBe(303);
    const after = await client.get(sent.location!);
    expect(after.text).not.toContain("Als FAQ veröffentlichen");
    expect(after.text).toContain("Dieser Vorgang ist ein Einzelfall");
  });

  it("refuses a POST without the form token, with a wrong token, or from another site", async () => {
    const t = await app.core.store.createTicket(ticketInput());
    const { client, csrf } = await staffMember(app, "dora");
    const url = `/staff/tickets/${t.id}/erledigt`;
    expect((await client.post(url, {})).status).toBe(403);
    // A wrong token: the last two characters changed (1 in 4096 tokens already ends in "xx").
    expect((await client.post(url, { _csrf: csrf.slice(0, -2) + (csrf.endsWith("xx") ? "yy" : "xx") })).status).toBe(403);
    expect((await client.post(url, { _csrf: csrf }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await client.post(url, { _csrf: csrf }, { origin: "null" })).status).toBe(403);
    expect((await client.post(url, { _csrf: csrf }, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await app.core.store.getTicket(t.id))?.status).toBe("open");
    const ok = await client.post(url, { _csrf: csrf }, { origin: app.baseUrl, "sec-fetch-site": "same-origin" });
    expect(ok.status).toBe(303);
    expect((await app.core.store.getTicket(t.id))?.status).toBe("closed");
    // The login form has its own token.
    const anon = new Client(app.baseUrl);
    await anon.get("/staff/login");
    const noToken = await anon.post("/staff/login", { name: "dora", password: "dora-Passwort-lang" });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain("abgelaufen");
  });

  it("escapes mayors' text everywhere on the staff pages", async () => {
    const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    const t = await app.core.store.createTicket(ticketInput({
      question: `Frage ${evil}`, userName: `Ortsbürgermeister ${evil}`, village: evil, draftAnswer: `Entwurf ${evil}`,
      context: [{ role: "mayor", text: `Vorher ${evil}` }], passages: [{ id: "p1", title: `Titel ${evil}`, excerpt: `Auszug ${evil}` }],
    }));
    // The web chat path too: the core keeps the text, the page escapes it.
    const viaChat = await mayorAsks(app, `Bitte rufen Sie mich zurück ${evil}`);
    const { client } = await staffMember(app, "emil");
    for (const path of ["/staff", `/staff/tickets/${t.id}`, `/staff/tickets/${viaChat.reply.ticket}`, "/staff/luecken"]) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).not.toContain("<script>alert");
      expect(res.text, path).not.toContain("<img src=x");
    }
    const detail = (await client.get(`/staff/tickets/${t.id}`)).text;
    expect(detail).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(detail).toContain("Titel &lt;script&gt;");
    expect(detail).toContain("Vorher &lt;script&gt;");
  });

  it("accepts only local /staff paths as ?next= after login (no open redirect)", async () => {
    await staffMember(app, "fritz");
    for (const [next, expected] of [
      ["https://evil.example/", "/staff"],
      ["//evil.example/staff", "/staff"],
      ["/\\evil.example", "/staff"],
      ["/staffevil", "/staff"],
      ["/staff/../evil", "/staff"],
      ["javascript:alert(1)", "/staff"],
      ["/staff/tickets/1?x=1", "/staff/tickets/1?x=1"],
      ["/staff/luecken", "/staff/luecken"],
    ]) {
      const { res } = await login(app.baseUrl, "fritz", "fritz-Passwort-lang", next);
      expect(res.location, next).toBe(expected);
    }
  });

  it("logging out ends the session on the server, not only in the browser", async () => {
    const { client, csrf } = await staffMember(app, "greta");
    const copied = new Map(client.cookies);
    const out = await client.post("/staff/logout", { _csrf: csrf });
    expect(out.location).toBe("/staff/login?abgemeldet");
    expect((await client.get("/staff/login?abgemeldet")).text).toContain("Sie wurden abgemeldet.");
    client.cookies = copied; // someone who kept the old cookie
    expect((await client.get("/staff")).status).toBe(303);
  });

  it("shows the Wissenslücken page with a weekly chart and the topics handed over", async () => {
    const answered = await mayorAsks(app, "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?");
    expect(answered.reply.action).toBe("answer");
    const { client } = await staffMember(app, "hanna");
    const res = await client.get("/staff/luecken");
    expect(res.status).toBe(200);
    expect(res.text).toContain("<h1>Wissenslücken</h1>");
    expect(res.text).toMatch(/<svg class="chart"[^>]*role="img"/);
    expect(res.text).toMatch(/<rect [^>]*fill="#2e7d32"/); // answered directly
    expect(res.text).toMatch(/<rect [^>]*fill="#c77700"/); // handed over
    expect((res.text.match(/>KW \d\d</g) ?? []).length).toBe(12);
    expect(res.text).not.toMatch(/<(script|link)[^>]+src="(?!\/staff\/)|https?:\/\/(?!www\.w3\.org\/2000\/svg)/); // nothing external (own /staff/ scripts only)
  });

  it("shows what the mayor asked just before a follow-up of a few words, in the list and on the Vorgang", async () => {
    const t = await app.core.store.createTicket(ticketInput({ question: "und bis wann?", context: [{ role: "mayor", text: "Gibt es Geld für einen Dorftreff?" }, { role: "bot", text: "Diese Programme …" }] }));
    const { client } = await staffMember(app, "vera");
    const list = await client.get("/staff");
    expect(list.text).toContain("Davor gefragt: Gibt es Geld für einen Dorftreff?");
    const page = await client.get(`/staff/tickets/${t.id}`);
    expect(page.text).toMatch(/Davor gefragt: Gibt es Geld für einen Dorftreff\?<\/p>\s*<blockquote class="question">und bis wann\?/);
    const alone = await app.core.store.createTicket(ticketInput({ question: "Wie lange dauert die Auszahlung eines Landeszuschusses?", context: [{ role: "mayor", text: "Hallo" }] }));
    expect((await client.get(`/staff/tickets/${alone.id}`)).text).not.toContain("Davor gefragt");
  });

  it("names what the mayor added to a Vorgang since the team last wrote, in the list and above the question", async () => {
    const t = await app.core.store.createTicket(ticketInput({ question: "Gibt es Geld für Sitzbänke am Dorfplatz?" }));
    await app.core.store.addTicketMessage(t.id, { from: "mayor", text: "Und wer versichert die Helfer beim Aufbau?" });
    const { client } = await staffMember(app, "wilma");
    expect((await client.get("/staff")).text).toContain("+1 weitere Nachricht der Person – bitte lesen");
    const page = await client.get(`/staff/tickets/${t.id}`);
    expect(page.text).toMatch(/Seitdem von der Person dazugekommen<\/h2><blockquote class="question">Und wer versichert die Helfer beim Aufbau\?/);
    // Once the team has written, only what came after counts.
    await app.core.store.addTicketMessage(t.id, { from: "staff", author: "wilma", text: "Das klären wir." });
    expect((await client.get(`/staff/tickets/${t.id}`)).text).not.toContain("Seitdem von der Person dazugekommen");
  });

  it("answers 404 for unknown tickets", async () => {
    const { client } = await staffMember(app, "ida");
    expect((await client.get("/staff/tickets/999999")).status).toBe(404);
    expect((await client.get("/staff/tickets/abc")).status).toBe(404);
    expect((await client.get("/staff/gibtsnicht")).status).toBe(404);
    expect((await client.get("/staff/")).location).toBe("/staff");
  });
});

describe("staff login behind https (PUBLIC_URL) and its rate limit", () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ PUBLIC_URL: "https://ortslotse.example" });
  });
  afterAll(async () => {
    await app?.cleanup();
  });

  it("marks cookies Secure and accepts forms posted from the public origin", async () => {
    await addStaffAccount(app.core.store, "jana");
    await app.core.store.setStaffPassword("jana", await hashPassword("jana-Passwort-lang"), false);
    const c = new Client(app.baseUrl);
    const page = await c.get("/staff/login");
    expect(page.headers.getSetCookie().join("\n")).toMatch(/^__Host-ortslotse_staff_login=.*Path=\/;.*Secure/m);
    const res = await c.post("/staff/login", { _csrf: csrfOf(page.text), name: "jana", password: "jana-Passwort-lang", next: "/staff" }, { origin: "https://ortslotse.example" });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().find((x) => x.startsWith("__Host-ortslotse_staff="))).toMatch(/Secure/);
    // The session works with the prefixed cookie (a plain-named copy would not be read).
    expect((await c.get("/staff")).status).toBe(200);
  });

  it("blocks a name after 5 wrong passwords and an address after 20, with a German message", async () => {
    await addStaffAccount(app.core.store, "karl");
    await app.core.store.setStaffPassword("karl", await hashPassword("karl-Passwort-lang"), false);
    for (let i = 0; i < 5; i++) expect((await login(app.baseUrl, "karl", `falsch-${i}`)).res.status).toBe(401);
    const blocked = (await login(app.baseUrl, "karl", "karl-Passwort-lang")).res;
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain("Zu viele Anmeldeversuche. Bitte warten Sie 15 Minuten");
    expect((await app.core.store.getStaffByName("karl"))?.passwordHash).toBeTruthy();
    // Others from the same address still get in …
    expect((await login(app.baseUrl, "jana", "jana-Passwort-lang")).res.status).toBe(303);
    // … until the address has tried too many names.
    let status = 0;
    for (let i = 0; i < 25 && status !== 429; i++) status = (await login(app.baseUrl, `rater${i}`, "irgendwas")).res.status;
    expect(status).toBe(429);
    expect((await login(app.baseUrl, "jana", "jana-Passwort-lang")).res.status).toBe(429);
  });
});

describe("staff login limits behind a reverse proxy and across restarts", () => {
  const data = tempDir();
  afterAll(() => data.cleanup());
  const from = (address: string) => ({ "x-forwarded-for": address });
  const wrong = async (base: string, name: string, n: number, headers?: Record<string, string>) => {
    let status = 0;
    for (let i = 0; i < n; i++) status = (await login(base, name, `falsch-${i}`, "/staff", headers)).res.status;
    return status;
  };

  it("with TRUST_PROXY=1 counts each forwarded address: one guesser does not lock out the office", async () => {
    const app = await startApp({ DATA_DIR: data.dir, TRUST_PROXY: "1" });
    try {
      await addStaffAccount(app.core.store, "jana");
      await app.core.store.setStaffPassword("jana", await hashPassword("jana-Passwort-lang"), false);
      // 20 names from one outside address (the proxy adds it to X-Forwarded-For) use up that address …
      for (let i = 0; i < 20; i++) expect((await login(app.baseUrl, `rater${i}`, "x", "/staff", from("203.0.113.7"))).res.status).toBe(401);
      expect((await login(app.baseUrl, "rater99", "x", "/staff", from("203.0.113.7"))).res.status).toBe(429);
      // … while a colleague behind the same proxy still logs in.
      expect((await login(app.baseUrl, "jana", "jana-Passwort-lang", "/staff", from("198.51.100.4"))).res.status).toBe(303);
      // A header the guesser writes himself does not help: the proxy appends the real address last.
      expect((await login(app.baseUrl, "rater100", "x", "/staff", from("10.9.9.9, 203.0.113.7"))).res.status).toBe(429);
    } finally {
      await app.stop();
    }
  });

  it("without TRUST_PROXY ignores X-Forwarded-For, so a forged header buys no fresh tries", async () => {
    const app = await startApp({ DATA_DIR: data.dir, TRUST_PROXY: "0" });
    try {
      // The previous test's 127.0.0.1 socket address took no failures yet; use it up with changing forged headers.
      let status = 0;
      for (let i = 0; i < 25 && status !== 429; i++) status = (await login(app.baseUrl, `forger${i}`, "x", "/staff", from(`192.0.2.${i}`))).res.status;
      expect(status).toBe(429);
    } finally {
      await app.stop();
    }
  });

  it("keeps the per-account counter in the store: a restart gives no fresh guesses", async () => {
    let app = await startApp({ DATA_DIR: data.dir, TRUST_PROXY: "1" });
    try {
      await addStaffAccount(app.core.store, "karl");
      await app.core.store.setStaffPassword("karl", await hashPassword("karl-Passwort-lang"), false);
      expect(await wrong(app.baseUrl, "karl", 5, from("198.51.100.20"))).toBe(401);
    } finally {
      await app.stop();
    }
    app = await startApp({ DATA_DIR: data.dir, TRUST_PROXY: "1" });
    try {
      // Another address, after a restart: the account is still protected …
      expect((await login(app.baseUrl, "karl", "karl-Passwort-lang", "/staff", from("198.51.100.21"))).res.status).toBe(429);
      // … and its colleague is not.
      expect((await login(app.baseUrl, "jana", "jana-Passwort-lang", "/staff", from("198.51.100.21"))).res.status).toBe(303);
    } finally {
      await app.stop();
    }
  });
});
