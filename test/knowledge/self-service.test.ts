import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startApp } from "../support/core.js";
import { NEW_ISSUE, QUESTION } from "./new-issue.js";
import { copyKnowledge, tempDir } from "../support/temp.js";

const run = promisify(execFile);
import { Client, csrfOf, staffMember } from "../support/staff-client.js";
import { createTestSchema, postgresTests, reportPostgresSkip } from "../support/postgres.js";
import { purgeTransientState } from "../../src/core/transient-state.js";

reportPostgresSkip("knowledge/self-service");

type App = Awaited<ReturnType<typeof startApp>>;

async function ask(app: App, text: string) {
  const res = await new Client(app.baseUrl).request("/api/chat", { json: { text } });
  return JSON.parse(res.text) as { action: string; text: string; sources: { id: string; title: string }[]; stand?: string };
}

describe("staff keep the knowledge themselves (/staff/wissen)", () => {
  let app: App;
  let knowledge: ReturnType<typeof copyKnowledge>;
  beforeAll(async () => {
    knowledge = copyKnowledge();
    app = await startApp({ KNOWLEDGE_DIR: knowledge.dir });
  });
  afterAll(async () => {
    await app?.cleanup();
    knowledge?.cleanup();
  });

  it("uploads a newsletter, shows what it understood, publishes it live, and retires it again", async () => {
    expect((await ask(app, QUESTION)).action).toBe("handover");
    const { client } = await staffMember(app, "jana");
    const list = await client.get("/staff/wissen");
    expect(list.status).toBe(200);
    expect(list.text).toContain("Neuen Newsletter hochladen");

    const preview = await client.upload("/staff/wissen/vorschau", { _csrf: csrfOf(list.text) }, { field: "file", name: "Newsletter Dezember 2026.html", content: NEW_ISSUE, type: "text/html" });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain("Newsletter Nr. 78 – Dezember 2026");
    expect(preview.text).toContain("Förderung: Pflegeprämie für Streuobstwiesen");
    expect(preview.text).toContain("25 Euro");
    expect(preview.text).toContain("31. März 2027");
    // The footer ("abbestellen") is not part of the knowledge.
    expect(preview.text).not.toContain("abmelden");
    // Nothing is live before it is confirmed.
    expect((await ask(app, QUESTION)).action).toBe("handover");

    const token = /name="token" value="([a-f0-9]{32})"/.exec(preview.text)![1];
    // The preview is a page of its own: "Zurück" after publishing returns to it, not to a form to send again.
    expect(preview.redirectedTo).toBe(`/staff/wissen/vorschau/${token}`);
    const published = await client.post("/staff/wissen/veroeffentlichen", { _csrf: csrfOf(preview.text), token });
    expect(published.status).toBe(303);
    const back = await client.get(`/staff/wissen/vorschau/${token}`);
    expect(back.text).toContain("Schon veröffentlicht");
    // A second click publishes nothing twice.
    const again = await client.post("/staff/wissen/veroeffentlichen", { _csrf: csrfOf(preview.text), token });
    expect(again.location).toBe("/staff/wissen?hinweis=veroeffentlicht");
    // The same file uploaded again: nothing to publish, and its history does not say "geändert".
    const twice = await client.upload("/staff/wissen/vorschau", { _csrf: csrfOf(list.text) }, { field: "file", name: "Newsletter Dezember 2026.html", content: NEW_ISSUE, type: "text/html" });
    expect(twice.status).toBe(200);
    expect(twice.text).toContain("Schon veröffentlicht");
    expect(twice.text).not.toContain("Veröffentlichen</button>");
    // A day later the preview (it held the whole file) is gone: the page says so, and the nightly purge deletes it.
    const key = `knowledge:upload:${token}`;
    const stored = JSON.parse((await app.core.store.getState(key))!) as { at: number };
    await app.core.store.setState(key, JSON.stringify({ ...stored, at: stored.at - 25 * 60 * 60_000 }));
    const old = await client.get(`/staff/wissen/vorschau/${token}`);
    expect(old.status).toBe(410);
    expect(old.text).toContain("Vorschau abgelaufen");
    expect(await purgeTransientState(app.core.store)).toBeGreaterThanOrEqual(1);
    expect(await app.core.store.getState(key)).toBeUndefined();
    const answer = await ask(app, QUESTION);
    expect(answer.action).toBe("answer");
    expect(answer.text).toContain("25 Euro");
    expect(answer.sources[0].id).toMatch(/^nl-2026-12/);
    expect(answer.stand).toBe("Dezember 2026");

    const after = await client.get("/staff/wissen?hinweis=veroeffentlicht");
    expect(after.text).toContain("Veröffentlicht.");
    expect(after.text).toMatch(/veröffentlicht von jana/);
    // The list shows how often the entry was used in answers (the one answer above).
    const row = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Newsletter Nr\. 78(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(after.text)![0];
    // On a phone the cell stands alone: it says what the number counts.
    expect(row).toMatch(/<td class="small" data-label="in Antworten \(12 Wochen\)">1<\/td>/);
    // The same issue again as a PDF (another file, another id): the preview says it replaces the HTML.
    const pdf = await client.upload("/staff/wissen/vorschau", { _csrf: csrfOf(after.text) }, { field: "file", name: "Newsletter_78_Dezember.pdf", content: readFileSync("test/fixtures/raw/newsletter-headings-larger-than-title.pdf"), type: "application/pdf" });
    expect(pdf.status).toBe(200);
    expect(pdf.text).toContain("Ersetzt die vorhandene Ausgabe „Newsletter Nr. 78 – Dezember 2026“");
    const retire = await client.post("/staff/wissen/zurueckziehen", { _csrf: csrfOf(after.text), path: "inbox/newsletter-dezember-2026.html" });
    expect(retire.status).toBe(303);
    expect((await ask(app, QUESTION)).action).toBe("handover");
    const retiredList = await client.get("/staff/wissen");
    expect(retiredList.text).toContain("Zurückgezogen");
    expect(retiredList.text).toMatch(/zurückgezogen von jana/);
  }, 60_000);

  it("`npm run knowledge -- export DIR` writes the published base as files that ingest reads to the same answers", async () => {
    await app.core.knowledge.published.publish("inbox/2026-12-15-ausgabe-78.html", Buffer.from(NEW_ISSUE), "jana", "Newsletter Nr. 78");
    await app.core.knowledge.reload("test");
    const live = await ask(app, QUESTION);
    expect(live.action).toBe("answer");
    const out = tempDir();
    try {
      const target = join(out.dir, "export");
      const { stdout } = await run("npm", ["run", "--silent", "knowledge", "--", "export", target], {
        env: { PATH: process.env.PATH, DATA_DIR: app.core.config.dataDir, KNOWLEDGE_DIR: knowledge.dir, LOG_LEVEL: "silent" },
      });
      expect(stdout).toContain("1 veröffentlicht");
      expect(readFileSync(join(target, "inbox/2026-12-15-ausgabe-78.html"), "utf8")).toBe(NEW_ISSUE);
      const again = await startApp({ KNOWLEDGE_DIR: target });
      try {
        const fromFiles = await ask(again, QUESTION);
        expect(fromFiles.action).toBe("answer");
        expect(fromFiles.text).toBe(live.text);
      } finally {
        await again.cleanup();
      }
    } finally {
      out.cleanup();
      await app.core.knowledge.published.retire("inbox/2026-12-15-ausgabe-78.html", "jana");
      await app.core.knowledge.reload("test");
    }
  }, 90_000);

  it("writes a new FAQ entry and changes an existing one in a form; both answer at once; personal data is refused", async () => {
    const { client } = await staffMember(app, "mara");
    const form = await client.get("/staff/wissen/faq");
    expect(form.status).toBe(200);
    const question = "Wie viel kostet der Obstbaumschnitt-Kurs für Ehrenamtliche?";
    const refused = await client.post("/staff/wissen/faq", { _csrf: csrfOf(form.text), question, answer: "Rufen Sie Frau Beispiel an: 06581 123456.", topics: "streuobst" });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("Telefonnummern");
    // A long question pasted into the form is refused whole, with its length, not cut by the browser.
    expect(form.text).not.toContain("maxlength");
    const story = `${"Unser Verein plant im Frühjahr einen Kurs, der Gemeinderat tagt aber erst im März, ".repeat(4)}wie viel kostet der Kurs?`;
    const tooLong = await client.post("/staff/wissen/faq", { _csrf: csrfOf(form.text), question: story, answer: "Der Kurs kostet 20 Euro.", topics: "streuobst" });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain(`Die Frage hat ${story.length} Zeichen, erlaubt sind höchstens 300.`);
    expect(tooLong.text).toContain("wie viel kostet der Kurs?</textarea>");
    const created = await client.post("/staff/wissen/faq", { _csrf: csrfOf(form.text), question, answer: "Der Obstbaumschnitt-Kurs für Ehrenamtliche kostet 20 Euro pro Person.", topics: "streuobst" });
    expect(created.status).toBe(303);
    // The list opens at the new entry (it has 200 rows), which says it was saved.
    expect(created.location).toMatch(/^\/staff\/wissen\?hinweis=faq&eintrag=faq-wie-viel-kostet-der-obstbaumschnitt[\w-]*#e-faq-wie-viel-kostet-der-obstbaumschnitt[\w-]*$/);
    const listed = await client.get(created.location!);
    const savedRow = /<tr id="e-faq-wie-viel-kostet[^"]*" class="saved">(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(listed.text)![0];
    expect(savedRow).toContain("FAQ-Eintrag gespeichert und veröffentlicht.");
    expect((await ask(app, question)).text).toContain("20 Euro pro Person");
    // The same question again (case and punctuation aside) is not a second entry beside the first.
    const twice = await client.post("/staff/wissen/faq", { _csrf: csrfOf(form.text), question: "wie viel kostet der Obstbaumschnitt-Kurs für ehrenamtliche", answer: "Er kostet 25 Euro.", topics: "streuobst" });
    expect(twice.status).toBe(422);
    expect(twice.text).toContain("Diese Frage gibt es schon als FAQ-Eintrag „Wie viel kostet der Obstbaumschnitt-Kurs für Ehrenamtliche?“");
    expect((await ask(app, question)).text).toContain("20 Euro pro Person");

    // An entry from the repository: the editor opens with its text; the change is live, with today's Stand.
    const edit = await client.get(`/staff/wissen/faq?path=${encodeURIComponent("faq/faq-dorfladen-rechtsform.md")}`);
    expect(edit.text).toContain("Häufig sind die Genossenschaft");
    const changed = await client.post("/staff/wissen/faq", {
      _csrf: csrfOf(edit.text), path: "faq/faq-dorfladen-rechtsform.md", question: "Welche Rechtsform passt für einen Dorfladen?",
      answer: "Meist eine Genossenschaft; sie verteilt das Risiko auf viele Mitglieder.", topics: "dorfladen, nahversorgung",
    });
    expect(changed.status).toBe(303);
    const answer = await ask(app, "Welche Rechtsform passt für einen Dorfladen?");
    expect(answer.text).toContain("verteilt das Risiko auf viele Mitglieder");
    const entry = (await app.core.knowledge.published.get("faq/faq-dorfladen-rechtsform.md"))!;
    const content = Buffer.from(entry.content!, "base64").toString("utf8");
    expect(content).toContain("Dorfladen gründen Genossenschaft oder Verein?"); // the other fields are kept
    expect(content).toContain("https://example.org/dorfladen");
    expect(entry.log.at(-1)).toMatchObject({ by: "mara" });
    // Saved again without a change: its history gets no "geändert".
    const again = await app.core.knowledge.published.publish("faq/faq-dorfladen-rechtsform.md", Buffer.from(entry.content!, "base64"), "mara");
    expect(again.log).toEqual(entry.log);
    await app.core.knowledge.published.retire("faq/faq-dorfladen-rechtsform.md", "mara");
  });

  it("explains an unreadable file and changes nothing", async () => {
    const { client } = await staffMember(app, "karl");
    const list = await client.get("/staff/wissen");
    const before = app.core.retriever.size;
    const bad = await client.upload("/staff/wissen/vorschau", { _csrf: csrfOf(list.text) }, { field: "file", name: "leer.html", content: "<html><body><p>kurz</p></body></html>", type: "text/html" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Diese Datei kann der Ortslotse nicht lesen");
    expect(bad.text).toContain("Es wurde nichts geändert");
    const wrongType = await client.upload("/staff/wissen/vorschau", { _csrf: csrfOf(list.text) }, { field: "file", name: "tabelle.xlsx", content: "x", type: "application/octet-stream" });
    expect(wrongType.status).toBe(422);
    // Plain German, no file-format jargon: what to upload instead.
    expect(wrongType.text).toContain("als HTML-Datei");
    expect(wrongType.text).not.toContain("kind:");
    // Markdown without the knowledge folder's template is read like an HTML issue; the heading names the file as sent.
    const plainMd = await client.upload("/staff/wissen/vorschau", { _csrf: csrfOf(list.text) }, { field: "file", name: "Newsletter Dezember.md", content: "# Newsletter Dezember 2026\n\nTrier, 15. Dezember 2026 · Ausgabe 78\n\n## Winterdienst\n\nFür gemeindeeigene Flächen wie den Dorfplatz bleibt die Ortsgemeinde verantwortlich.\n\n## Mitfahrbänke\n\nIn Waldweiler stehen seit dem Sommer 2026 sechs Mitfahrbänke an den Ortsausgängen.\n", type: "text/markdown" });
    expect(plainMd.status).toBe(200);
    expect(plainMd.text).toContain("Vorschau: Newsletter Dezember.md");
    expect(plainMd.text).toContain("Winterdienst");
    const empty = await client.upload("/staff/wissen/vorschau", { _csrf: csrfOf(list.text) }, { field: "file", name: "ausgabe-78.html", content: "", type: "text/html" });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain("Die Datei ist leer");
    const brokenPdf = await client.upload("/staff/wissen/vorschau", { _csrf: csrfOf(list.text) }, { field: "file", name: "ausgabe-78.pdf", content: "%PDF-1.4 kaputt", type: "application/pdf" });
    expect(brokenPdf.status).toBe(422);
    expect(brokenPdf.text).toContain("Die PDF-Datei ist beschädigt");
    expect(brokenPdf.text).not.toMatch(/Invalid PDF/i);
    // Over the limit: a page of its own (the limit answers before the staff routes) with the way back.
    const huge = await client.upload("/staff/wissen/vorschau", { _csrf: csrfOf(list.text) }, { field: "file", name: "ausgabe-78.pdf", content: Buffer.alloc(11 * 1024 * 1024, 32), type: "application/pdf" });
    expect(huge.status).toBe(413);
    expect(huge.text).toContain("<title>Datei zu groß – Ortslotse</title>");
    expect(huge.text).toContain("bis 10 MB");
    expect(huge.text).toContain('<a href="/staff/wissen">Zurück zu „Wissen“</a>');
    expect(app.core.retriever.size).toBe(before);
  });

  it("refuses an upload without login or without the form token", async () => {
    const stranger = new Client(app.baseUrl);
    const res = await stranger.upload("/staff/wissen/vorschau", {}, { field: "file", name: "x.html", content: NEW_ISSUE, type: "text/html" });
    expect(res.status).toBe(401);
    const { client } = await staffMember(app, "lena");
    const noToken = await client.upload("/staff/wissen/vorschau", {}, { field: "file", name: "x.html", content: NEW_ISSUE, type: "text/html" });
    expect(noToken.status).toBe(403);
  });
});

describe.skipIf(!postgresTests.enabled)("published knowledge with two instances on one PostgreSQL", () => {
  let a: App;
  let b: App;
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let knowledge: ReturnType<typeof copyKnowledge>;
  beforeAll(async () => {
    knowledge = copyKnowledge();
    schema = await createTestSchema();
    const env = { KNOWLEDGE_DIR: knowledge.dir, DATABASE_URL: schema.url, KNOWLEDGE_POLL_SECONDS: "1" };
    a = await startApp(env);
    b = await startApp(env);
  });
  afterAll(async () => {
    await a?.cleanup();
    await b?.cleanup();
    await schema?.drop();
    knowledge?.cleanup();
  });

  it("answers on B what staff published on A, and stops when A retires it", async () => {
    expect((await ask(b, QUESTION)).action).toBe("handover");
    const { client } = await staffMember(a, "jana");
    const list = await client.get("/staff/wissen");
    const preview = await client.upload("/staff/wissen/vorschau", { _csrf: csrfOf(list.text) }, { field: "file", name: "2026-12-15-ausgabe-78.html", content: NEW_ISSUE, type: "text/html" });
    const token = /name="token" value="([a-f0-9]{32})"/.exec(preview.text)![1];
    expect((await client.post("/staff/wissen/veroeffentlichen", { _csrf: csrfOf(preview.text), token })).status).toBe(303);
    const until = async (want: string) => {
      const deadline = Date.now() + 20_000;
      let got = "";
      while (Date.now() < deadline) {
        got = (await ask(b, QUESTION)).action;
        if (got === want) return got;
        await new Promise((r) => setTimeout(r, 300));
      }
      return got;
    };
    expect(await until("answer")).toBe("answer");
    expect((await ask(b, QUESTION)).text).toContain("25 Euro");
    const again = await client.get("/staff/wissen");
    expect((await client.post("/staff/wissen/zurueckziehen", { _csrf: csrfOf(again.text), path: "inbox/2026-12-15-ausgabe-78.html" })).status).toBe(303);
    expect(await until("handover")).toBe("handover");
  }, 90_000);
});

describe("staff edit the real knowledge: entries after the last calibration, funding programmes", () => {
  let app: App;
  let knowledge: ReturnType<typeof copyKnowledge>;
  beforeAll(async () => {
    knowledge = copyKnowledge("knowledge");
    app = await startApp({ KNOWLEDGE_DIR: knowledge.dir });
  });
  afterAll(async () => {
    await app?.cleanup();
    knowledge?.cleanup();
  });

  it("changes a funding programme's deadline and amount in a form; the Förder-Finder lists it so at once", async () => {
    const question = "Wer fördert einen Dorfladen?";
    expect((await ask(app, question)).text).toContain("rund 190.000 Euro für vier Läden");
    const { client } = await staffMember(app, "ilse");
    const list = await client.get("/staff/wissen");
    expect(list.text).toContain("Förderprogramme im Förder-Finder");
    expect(list.text).toContain("Landesmodellprojekt „hybride Dorfläden“");
    const form = await client.get("/staff/wissen/programm?id=hybrider-dorfladen");
    expect(form.status).toBe(200);
    expect(form.text).toContain("rund 190.000 Euro für vier Läden");
    const fields = {
      _csrf: csrfOf(form.text), id: "hybrider-dorfladen", name: "Landesmodellprojekt „hybride Dorfläden“", funder: "Land Rheinland-Pfalz",
      summary: "Das Land fördert weitere hybride Dorfläden, die tagsüber mit Personal und danach im Automatenbetrieb laufen.",
      applicants: ["gemeinde", "verein"], purposes: ["nahversorgung"], deadlineKind: "datum", deadlineDate: "2099-03-31", amount: "bis 50.000 Euro je Laden",
      contact: "M.Punkt RLP, Beratungsstelle für Dorfläden (Geschäftsführer Volker Bulitta, Trier)",
      link: "https://www.rhein-zeitung.de/rheinland-pfalz/rheinland-pfalz-foerdert-hybride-dorflaeden_arid-4004575.html",
    };
    // A private person's number and a broken address are refused with what to fix; nothing changes.
    const refused = await client.post("/staff/wissen/programm", { ...fields, contact: "Frau Beispiel, 06581 123456", link: "www.beispiel" });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("„06581 123456“");
    expect(refused.text).toContain("Namen von Personen");
    const badLink = await client.post("/staff/wissen/programm", { ...fields, link: "www.beispiel" });
    expect(badLink.status).toBe(422);
    // Said in the form's words, not with the file and the field's key.
    expect(badLink.text).toContain("Internetadresse: keine gültige Internetadresse");
    expect(badLink.text).not.toContain("Feld „link“");
    expect((await ask(app, question)).text).toContain("rund 190.000 Euro für vier Läden");

    const saved = await client.post("/staff/wissen/programm", fields);
    expect(saved.status).toBe(303);
    const after = (await ask(app, question)).text;
    expect(after).toContain("bis 50.000 Euro je Laden");
    expect(after).toContain("31. März 2099");
    const entry = (await app.core.knowledge.published.get("programmes/hybrider-dorfladen.yaml"))!;
    const content = Buffer.from(entry.content!, "base64").toString("utf8");
    expect(content).toContain("purposes: [nahversorgung]");
    expect(content).toContain("# how mayors name it"); // comments and what the form does not show stay as they were
    expect(content).not.toContain("deadline_note");
    expect(entry.log.at(-1)).toMatchObject({ by: "ilse" });
    expect((await client.get("/staff/wissen")).text).toContain("veröffentlicht von ilse");
    await app.core.knowledge.published.retire("programmes/hybrider-dorfladen.yaml", "ilse");
    await app.core.knowledge.reload("test cleanup");
  });

  it("makes a new programme from a funding section of an uploaded issue; the Förder-Finder lists it at once", async () => {
    // A search for money for a purpose: the Förder-Finder's list (a question naming the prämie is answered from the issue).
    const question = "Wer fördert Naturschutz im Dorf?";
    expect((await ask(app, question)).text).not.toContain("Pflegeprämie");
    await app.core.knowledge.published.publish("inbox/2026-12-15-ausgabe-78.html", Buffer.from(NEW_ISSUE), "jana", "Newsletter Nr. 78");
    await app.core.knowledge.reload("test");
    try {
      const { client } = await staffMember(app, "olga");
      const list = await client.get("/staff/wissen");
      expect(list.text).toContain("Förderaufrufe aus Newslettern, noch nicht im Förder-Finder");
      const link = /href="(\/staff\/wissen\/programm\/neu\?[^"]+)">Als Förderprogramm anlegen/.exec(list.text)![1].replace(/&amp;/g, "&");
      expect(link, list.text.match(/programm\/neu\?[^"]+/g)!.join(" ")).toContain("abschnitt=");
      const form = await client.get(link);
      expect(form.status).toBe(200);
      expect(form.text).toContain("Neues Förderprogramm");
      // Prefilled from the section: name without the rubric, the amount's sentence, the date ahead, the purpose.
      expect(form.text).toMatch(/id="p-name"[^>]*>Pflegeprämie für Streuobstwiesen</);
      expect(form.text).toContain("25 Euro je Obstbaum und Jahr");
      expect(form.text).toContain('value="2027-03-31"');
      expect(form.text).toMatch(/value="umwelt" checked/);
      const issue = /<option value="([^"]+)" selected>/.exec(form.text)![1];
      expect(issue).toMatch(/^nl-2026-12/);
      const fields = {
        _csrf: csrfOf(form.text), name: "Pflegeprämie für Streuobstwiesen", funder: "Landkreis Trier-Saarburg",
        summary: "Der Landkreis zahlt Ortsgemeinden und Vereinen eine Pflegeprämie für ihre Streuobstwiesen.",
        applicants: ["gemeinde", "verein"], purposes: ["umwelt"], deadlineKind: "datum", deadlineDate: "2099-03-31",
        amount: "25 Euro je Obstbaum und Jahr", sources: issue,
      };
      // Without a purpose or a source it is refused, saying what is missing.
      const refused = await client.post("/staff/wissen/programm/neu", { ...fields, purposes: [], sources: "" });
      expect(refused.status).toBe(422);
      expect(refused.text).toContain("Wofür es Geld gibt: Bitte kreuzen Sie mindestens einen Zweck an");
      expect(refused.text).toContain("Quelle im Wissen: Bitte wählen Sie");
      const saved = await client.post("/staff/wissen/programm/neu", fields);
      expect(saved.status, saved.text.match(/<li>[^<]*<\/li>/g)?.join(" ")).toBe(303);
      expect(saved.location).toBe("/staff/wissen?hinweis=programm-neu#programme");
      const reply = await ask(app, question);
      const answer = reply.text;
      expect(answer, JSON.stringify(reply)).toContain("Pflegeprämie für Streuobstwiesen");
      expect(answer).toContain("25 Euro je Obstbaum und Jahr");
      const entry = (await app.core.knowledge.published.get("programmes/pflegepraemie-fuer-streuobstwiesen.yaml"))!;
      expect(entry.log.at(-1)).toMatchObject({ by: "olga" });
      const after = await client.get("/staff/wissen?hinweis=programm-neu");
      expect(after.text).toContain("Neues Förderprogramm gespeichert");
      // Covered now: the issue is the programme's source, so it is no longer suggested.
      expect(after.text).not.toContain("Förderaufrufe aus Newslettern, noch nicht im Förder-Finder");
      // A second one of the same name gets a file of its own, not the first one's.
      const second = await client.post("/staff/wissen/programm/neu", { ...fields, _csrf: csrfOf(after.text) });
      expect(second.status).toBe(303);
      expect(await app.core.knowledge.published.get("programmes/pflegepraemie-fuer-streuobstwiesen-2.yaml")).toBeDefined();
      await app.core.knowledge.published.retire("programmes/pflegepraemie-fuer-streuobstwiesen-2.yaml", "olga");
      await app.core.knowledge.published.retire("programmes/pflegepraemie-fuer-streuobstwiesen.yaml", "olga");
    } finally {
      await app.core.knowledge.published.retire("inbox/2026-12-15-ausgabe-78.html", "jana");
      await app.core.knowledge.reload("test cleanup");
    }
  }, 60_000);

  it("an edit that keeps an entry's facts keeps the labelled questions it answered (no needless hand-overs)", async () => {
    const question = "wie viel darf man ehrenamtlichen als ehrenamtspauschale im jahr steuerfrei zahlen?";
    const before = await ask(app, question);
    expect(before.action).toBe("answer");
    expect(before.text).toContain("960 Euro");
    const path = "faq/faq-ehrenamtspauschale.md";
    const { client } = await staffMember(app, "ines");
    const edit = await client.get(`/staff/wissen/faq?path=${encodeURIComponent(path)}`);
    const body = readFileSync(join(knowledge.dir, path), "utf8").split("\n---\n")[1].trim();
    const changed = await client.post("/staff/wissen/faq", {
      _csrf: csrfOf(edit.text), path, question: "Wie hoch ist die Ehrenamtspauschale?",
      answer: `${body} Beispiel: 80 Euro im Monat bleiben steuerfrei.`, topics: "steuer, aufwandsentschaedigung",
    });
    expect(changed.status).toBe(303);
    // The entry is a new version now; its labelled examples still show their facts in it, so they still count.
    const after = await ask(app, question);
    expect(after.action).toBe("answer");
    expect(after.text).toContain("80 Euro im Monat");
    await app.core.knowledge.published.retire(path, "ines");
  });
  it("after an amount is changed, the notice names the other entries that still give the old one", async () => {
    const path = "faq/faq-pauschalen-kombinieren.md";
    const { client } = await staffMember(app, "olga");
    const edit = await client.get(`/staff/wissen/faq?path=${encodeURIComponent(path)}`);
    const file = readFileSync(join(knowledge.dir, path), "utf8");
    const question = /^question: "(.*)"$/m.exec(file)![1];
    const body = file.split("\n---\n")[1].trim();
    expect(body).toContain("960 Euro");
    const changed = await client.post("/staff/wissen/faq", {
      _csrf: csrfOf(edit.text), path, question, answer: body.replaceAll("960 Euro", "1.000 Euro"), topics: "steuer, aufwandsentschaedigung",
    });
    expect(changed.status).toBe(303);
    expect(changed.location).toContain("alt=960");
    const page = await client.get(changed.location!);
    expect(page.text).toMatch(/Die alte Angabe „960“ steht noch in: „[^“]+“/);
    // The entry just saved is not among them.
    expect(page.text).not.toContain(`steht noch in: „${question}“`);
    await app.core.knowledge.published.retire(path, "olga");
    await app.core.knowledge.reload("test cleanup");
  });
  it("retiring an entry a funding programme names as its source says so", async () => {
    const { client } = await staffMember(app, "paula");
    const list = await client.get("/staff/wissen");
    const path = "faq/faq-dorfmoderation-foerderung.md";
    const retired = await client.post("/staff/wissen/zurueckziehen", { _csrf: csrfOf(list.text), path });
    expect(retired.status).toBe(303);
    const page = await client.get(retired.location!);
    expect(page.text).toContain("Das Förderprogramm „Förderung der Dorfmoderation (Dorferneuerung Rheinland-Pfalz)“ nennt diesen Eintrag als Quelle");
    // An entry no programme names: the plain notice.
    const other = await client.post("/staff/wissen/zurueckziehen", { _csrf: csrfOf(page.text), path: "faq/faq-mitfahrbank.md" });
    expect((await client.get(other.location!)).text).not.toContain("als Quelle");
  });
});
