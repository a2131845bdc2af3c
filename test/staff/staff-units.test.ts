import { describe, expect, it } from "vitest";
import { generateOneTimePassword, hashPassword, newPasswordProblem, normalizeStaffName, verifyPassword } from "../../src/staff/auth.js";
import { faqDraftProblems, faqMarkdown, faqSlug, parseTopics, personalNames, suggestFaqDraft, trimToWords, withoutGreeting } from "../../src/staff/faq-draft.js";
import type { TicketRecord } from "../../src/store/store.js";
import { safeNext } from "../../src/staff/routes.js";
import { html, raw } from "../../src/staff/pages/html.js";
import { ageLabel } from "../../src/staff/format.js";
import { weeklyChartSvg } from "../../src/staff/gaps.js";
import { countWords, parseMarkdownKnowledge } from "../../src/retrieval/markdown-loader.js";

describe("staff passwords", () => {
  it("hashes with scrypt, a random salt each time, and verifies only the right password", async () => {
    const a = await hashPassword("Eichenlaub am Saarufer");
    const b = await hashPassword("Eichenlaub am Saarufer");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("Eichenlaub am Saarufer", a)).toBe(true);
    expect(await verifyPassword("Eichenlaub am Saarufer ", a)).toBe(false);
    expect(await verifyPassword("x", "plain-text")).toBe(false);
    expect(await verifyPassword("x", "scrypt$99999999$8$1$AA$AA")).toBe(false);
  });

  it("makes one-time passwords of at least 16 unambiguous characters and checks new ones", () => {
    const otps = new Set(Array.from({ length: 50 }, () => generateOneTimePassword()));
    expect(otps.size).toBe(50);
    for (const p of otps) expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16,}$/);
    expect(newPasswordProblem("alt", "zu kurz", "zu kurz")).toContain("mindestens 12");
    expect(newPasswordProblem("Eichenlaub am Saarufer", "Eichenlaub am Saarufer", "Eichenlaub am Saarufer")).toContain("anderes Passwort");
    expect(newPasswordProblem("alt", "Eichenlaub am Saarufer", "Eichenlaub am Saarufer")).toBeUndefined();
    expect(normalizeStaffName(" Petra.Schmitt ")).toBe("petra.schmitt");
    expect(normalizeStaffName("müller")).toBe("müller");
    for (const bad of ["a", "x:y", "<b>", "name with space", "-start"]) expect(normalizeStaffName(bad), bad).toBeUndefined();
  });
});

describe("staff page helpers", () => {
  it("escapes every interpolated value but keeps nested templates", () => {
    const inner = html`<b>${"<i>&"}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${["<a>", 1]}${undefined}${false}</p>`.value).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;&amp;</b>&lt;a&gt;1</p>',
    );
    expect(html`${raw("<hr>")}`.value).toBe("<hr>");
  });

  it("accepts only local /staff paths as redirect targets", () => {
    expect(safeNext("/staff/tickets/3")).toBe("/staff/tickets/3");
    expect(safeNext("/staff")).toBe("/staff");
    for (const bad of ["https://evil.example", "//evil.example", "/\\evil", "/staffx", "/staff/../x", "/staff/login?next=//x", "", undefined, 42, "/staff/\u0000"])
      expect(safeNext(bad), String(bad)).toBe("/staff");
  });

  it("says how long a ticket waits the way staff say it", () => {
    const now = Date.parse("2026-11-25T12:00:00Z");
    expect(ageLabel("2026-11-25T11:59:40Z", now)).toBe("gerade eben");
    expect(ageLabel("2026-11-25T11:35:00Z", now)).toBe("seit 25 Min.");
    expect(ageLabel("2026-11-25T09:00:00Z", now)).toBe("seit 3 Std.");
    expect(ageLabel("2026-11-20T12:00:00Z", now)).toBe("seit 5 Tagen");
  });

  it("draws the weekly chart from numbers only, also for weeks without questions", () => {
    const svg = weeklyChartSvg([
      { week: "2026-W47", questions: 0, answered: 0, handedOver: 0, thumbsUp: 0, thumbsDown: 0 },
      { week: "2026-W48", questions: 7, answered: 5, handedOver: 2, thumbsUp: 1, thumbsDown: 1 },
    ]).value;
    expect(svg).toMatch(/^<svg class="chart" viewBox="0 0 \d+ \d+"/);
    // Whole-number axis: 7 questions → steps of 2 up to 8.
    expect(svg.match(/text-anchor="end"[^>]*>(\d+)</g)?.map((t) => t.replace(/.*>/, "").replace("<", ""))).toEqual(["0", "2", "4", "6", "8"]);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain(">KW 47<");
    expect(svg).toContain("<circle");
    expect(svg).not.toContain("NaN");
  });
});

describe("FAQ drafts", () => {
  it("lets an office's number the knowledge already gives stand, and names any other contact data", () => {
    const d = (answer: string) => ({ question: "Wen rufe ich bei der Ehrenamtskarte an?", answer, topics: ["ehrenamtskarte"], legal: false });
    const published = (x: string) => ["ehrenamtskarte@stk.rlp.de", "06131/16-5720"].includes(x);
    expect(faqDraftProblems(d("Die Staatskanzlei: 06131/16-5720, ehrenamtskarte@stk.rlp.de."), published)).toEqual([]);
    const other = faqDraftProblems(d("Rufen Sie mich an: 0171 2345678."), published).join();
    expect(other).toContain("„0171 2345678“");
    expect(other).toContain("schon im Wissen stehen, sind erlaubt");
  });

  it("takes topics as staff type them, umlauts and hyphens in the knowledge's spelling", () => {
    expect(parseTopics("Förderung, Dorf-Fest;  Aufwandsentschädigung")).toEqual(["foerderung", "dorf_fest", "aufwandsentschaedigung"]);
    expect(parseTopics("  ")).toEqual(["allgemein"]);
    expect(faqDraftProblems({ question: "Wie beantrage ich das?", answer: "Bei der VG.", topics: parseTopics("Förderung"), legal: false })).toEqual([]);
  });

  it("cuts a long answer after a whole sentence, below the FAQ limit", () => {
    const sentence = "Das ist ein Satz mit genau zehn Wörtern für den Test.";
    const text = Array.from({ length: 15 }, () => sentence).join(" ");
    const r = trimToWords(text, 119);
    expect(r.trimmed).toBe(true);
    expect(countWords(r.text)).toBe(110);
    expect(r.text.endsWith(".")).toBe(true);
    const noStop = Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ");
    expect(countWords(trimToWords(noStop, 119).text)).toBeLessThanOrEqual(119);
    expect(trimToWords("Kurz.", 119)).toEqual({ text: "Kurz.", trimmed: false });
  });

  it("makes ASCII slugs from German questions", () => {
    expect(faqSlug("Müssen Bürgerbus-Fahrer einen Führerschein haben?")).toBe("muessen-buergerbus-fahrer-einen-fuehrerschein-haben");
    expect(faqSlug("Straße, Café & Größe: wie?")).toBe("strasse-cafe-groesse-wie");
    expect(faqSlug("???")).toBe("frage");
  });

  it("writes front matter the knowledge loader accepts even with quotes, colons and # in the question", () => {
    const q = 'Gilt "Ehrenamt: Sicher!" #1 auch für \\ Vereine?';
    const md = faqMarkdown("faq-test", { question: q, answer: "Ja, meistens.", topics: ["versicherung", "allgemein"], legal: true }, "2026-11-25");
    const doc = parseMarkdownKnowledge("faq/faq-test.md", md);
    expect(doc.faq?.question).toBe(q);
    expect(doc.legal).toBe(true);
    expect(doc.topics).toEqual(["versicherung", "allgemein"]);
    expect(faqDraftProblems({ question: q, answer: "Ja.", topics: ["x"], legal: false })).toEqual([]);
    expect(faqDraftProblems({ question: q, answer: "Schreiben Sie an info@gemeinde.de", topics: ["x"], legal: false }).join()).toContain("E-Mail");
  });

  it("rejects names of people in a FAQ every mayor reads, but not a month that is also a first name", () => {
    const draft = (answer: string) => ({ question: "Wie lange dauert die Auszahlung eines Landeszuschusses?", answer, topics: ["foerderung"], legal: false });
    expect(faqDraftProblems(draft("Guten Tag Herr Beispiel, das dauert meist sechs Wochen.")).join()).toContain("„Herr Beispiel“");
    expect(faqDraftProblems(draft("Das dauert meist sechs Wochen. Viele Grüße, Erika")).join()).toContain("„Erika“");
    expect(personalNames("Fragen beantwortet Frau Dr. Schmitt.")).toEqual(["Frau Dr. Schmitt"]);
    expect(faqDraftProblems(draft("Anträge bis 31. August 2026 bei der ADD; im August 2026 entscheidet die Jury."))).toEqual([]);
  });

  it("suggests a staff answer for the FAQ without its greeting and sign-off", () => {
    expect(withoutGreeting("Guten Tag Herr Beispiel,\n\ndie Auszahlung dauert meist sechs Wochen.\n\nViele Grüße\nErika")).toBe("Die Auszahlung dauert meist sechs Wochen.");
    expect(withoutGreeting("Die Auszahlung dauert meist sechs Wochen.")).toBe("Die Auszahlung dauert meist sechs Wochen.");
    // Greeting and answer on one line: only the greeting goes, not the answer up to its first full stop.
    expect(withoutGreeting("Hallo, für die Dorferneuerung gilt: Anträge bis zum 1. Oktober für das Folgejahr. Viele Grüße")).toBe("Für die Dorferneuerung gilt: Anträge bis zum 1. Oktober für das Folgejahr.");
    expect(withoutGreeting("Guten Tag, die Übungsleiterpauschale gilt ab 2026. Eine Frist gibt es nicht.")).toBe("Die Übungsleiterpauschale gilt ab 2026. Eine Frist gibt es nicht.");
    expect(withoutGreeting("Hallo Herr Weber, das geht.\nGruß A. Becker")).toBe("Das geht.");
    expect(withoutGreeting("Das Grußwort hält der Landrat. Grüße an den Rat richten Sie bitte selbst aus.")).toBe("Das Grußwort hält der Landrat. Grüße an den Rat richten Sie bitte selbst aus.");
  });

  it("puts the mayor's message before a follow-up of a few words in the FAQ question", () => {
    const ticket = (question: string) => ({ question, answer: "Hallo, bis zum 30. April.", topics: [], context: [{ role: "mayor", text: "Gibt es Geld für einen Dorftreff?" }, { role: "bot", text: "Diese Programme …" }] }) as unknown as TicketRecord;
    expect(suggestFaqDraft(ticket("und bis wann?")).question).toBe("Gibt es Geld für einen Dorftreff? – und bis wann?");
    expect(suggestFaqDraft(ticket("Bis wann muss der Antrag bei der Kreisstiftung gestellt sein?")).question).toBe("Bis wann muss der Antrag bei der Kreisstiftung gestellt sein?");
    expect(suggestFaqDraft(ticket("und bis wann?")).answer).toBe("Bis zum 30. April.");
    // A follow-up split off a message, without an earlier question of its own: a question that stands alone.
    const alone = { question: "Und gibt es Geld für Photovoltaik", answer: "Nein.", topics: [], context: [] } as unknown as TicketRecord;
    expect(suggestFaqDraft(alone).question).toBe("Gibt es Geld für Photovoltaik?");
  });
});
