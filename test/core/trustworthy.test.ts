import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";
import { MSG } from "../../src/core/messages.js";
import type { Incoming } from "../../src/core/types.js";

/** The assistant over the real knowledge base (knowledge/), as mayors meet it. */
type TestCore = Awaited<ReturnType<typeof makeCore>>;
let core: TestCore;
let n = 0;
const ask = (text: string) =>
  core.assistant.handle({ channel: "web", conversationId: `t${++n}`, userId: `u${n}`, isGroup: false, text } satisfies Incoming);

beforeAll(async () => {
  core = await makeCore({ KNOWLEDGE_DIR: "knowledge" });
});
afterAll(async () => core.cleanup());

describe("trustworthy answers: an answer is right, or it is not given", () => {
  it("answers a question its passage really answers, with the fact in the text", async () => {
    const r = await ask("Wie hoch ist die Ehrenamtspauschale?");
    expect(r.action).toBe("answer");
    expect(r.text).toContain("840 Euro");
    expect(r.confidence).toBeGreaterThanOrEqual(core.planner.threshold);
  });

  it("puts the line of a table the question's own figure falls in first, then the whole table", async () => {
    const r = await ask("Wie viel Aufwandsentschädigung bekommt ein Ortsbürgermeister bei 450 Einwohnern?");
    expect(r.action).toBe("answer");
    expect(r.text.startsWith("Zu „450 Einwohnern“ passt diese Zeile: 301–500 EW 602 €.")).toBe(true);
    expect(r.text).toContain("• 1.001–1.250 EW 1.031 €");
    // The figure in the story before the question counts too (user test).
    const story = await ask("Wir haben ca. 620 Einwohner. Wie hoch ist meine Aufwandsentschädigung als Ortsbürgermeisterin?");
    expect(story.text.startsWith("Zu „620 Einwohner“ passt diese Zeile: 501–750 EW 743 €.")).toBe(true);
  });

  it("shows related passages under a new hand-over, not under a message added to an open Vorgang", async () => {
    const question = "Wie viel Stiftungskapital hat die Kreisstiftung?";
    const fresh = await ask(question);
    expect(fresh.action).toBe("handover");
    expect(fresh.sources.length).toBeGreaterThan(0);
    const who = { channel: "web" as const, conversationId: "t-added", userId: "u-added", isGroup: false };
    const a = await core.assistant.handle({ ...who, text: "Bitte rufen Sie mich zurück." });
    await core.store.addTicketMessage(a.ticket!.id, { from: "staff", author: "Frau Team", text: "Worum geht es denn?" });
    const added = await core.assistant.handle({ ...who, text: question });
    expect(added.ticket).toEqual({ id: a.ticket!.id, isNew: false });
    expect(added.sources).toEqual([]);
  });

  it("offers an entry on the topic under a hand-over when it lacks only the kind of answer asked for", async () => {
    // User test: the entry on private Dorferneuerung has no list of documents, so it cannot answer; it was not even
    // offered while the mayor waited.
    const r = await ask("Welche Unterlagen brauche ich für den Antrag auf Dorferneuerung als Privatperson?");
    expect(r.action).toBe("handover");
    expect(r.sources.map((s) => s.id)).toContain("faq-dorferneuerung-privat");
  });

  it("says why a question about another Land goes to staff, and answers one that only travels there", async () => {
    // User test: the Saarland question went to staff without a word that the knowledge covers Rheinland-Pfalz.
    const saarland = await ask("Wie hoch ist die Aufwandsentschädigung für einen Ortsbürgermeister im Saarland?");
    expect(saarland.action).toBe("handover");
    expect(saarland.text).toContain(MSG.handover.outsideScope(["Saarland"]));
    const trip = await ask("Unsere Seniorengruppe (kein Verein) macht einen Tagesausflug nach Luxemburg. Sind die Helfer über die Sammelversicherung des Landes versichert?");
    expect(trip.action).toBe("answer");
    expect(trip.text).not.toContain("Meine Unterlagen gelten vor allem");
  });

  it("'Mensch' after a funding list hands that conversation over, not into an older Vorgang ending in the same follow-up", async () => {
    const who = { channel: "web" as const, conversationId: "t-mensch", userId: "u-mensch", isGroup: false };
    const say = (text: string) => core.assistant.handle({ ...who, text });
    const first = await say("Welche Windkraftanlagen sind in der VG Ruwer geplant?");
    expect(first.action).toBe("handover");
    expect((await say("und bis wann?")).ticket).toEqual({ id: first.ticket!.id, isNew: false });
    expect((await say("Gibt es Geld für einen Dorftreff?")).reasons).toContain("funding_finder");
    await say("/foerder verein");
    await say("und bis wann?");
    const human = await say("Mensch");
    expect(human.ticket?.isNew).toBe(true);
    const t = (await core.store.getTicket(human.ticket!.id))!;
    const before = t.context.filter((c) => c.role === "mayor").map((c) => c.text);
    expect(before).toContain("Gibt es Geld für einen Dorftreff?");
    // Staff read the button as chosen, not as its command; the question handed over is not repeated as "before".
    expect(before).toContain("„Verein“ gewählt");
    expect(before.at(-1)).toBe("„Verein“ gewählt");
    // The older Vorgang got the first "und bis wann?" only.
    expect((await core.store.getTicket(first.ticket!.id))!.messages.filter((m) => m.text === "und bis wann?")).toHaveLength(1);
  });

  it("reads a greeting before a comma apart from the question it opens", async () => {
    const plain = await ask("Was kostet die Ehrenamtskarte?");
    expect(plain.action).toBe("answer");
    for (const text of ["Guten Morgen, was kostet die Ehrenamtskarte?", "Gudde Moien, wat kost die Ehrenamtskarte?"]) {
      const r = await ask(text);
      expect(r.action).toBe("answer");
      expect(r.text).toBe(plain.text);
    }
    // Before a statement the greeting stays in the sentence: a statement beside a greeting alone would be chat.
    const story = await ask("hallo, unser dorfladen verein überlegt abends auf automaten umzustellen so wie in mandern, gibts dafür noch geld vom land");
    expect(story.action).not.toBe("smalltalk");
  });

  it("answers each of two questions in one message", async () => {
    const r = await ask("Wie hoch ist die Ehrenamtspauschale? Und wie hoch ist die Übungsleiterpauschale?");
    expect(r.action).toBe("answer");
    expect(r.text).toContain("840 Euro");
    expect(r.text).toContain("3.000 Euro");
  });

  it("shows a passage once when both questions of a message rest on it, and names each source once", async () => {
    // Both parts rest on the newsletter section about the 2018 county round (the FAQ on the prize money alone
    // would carry the same sentence as a second passage).
    const r = await ask("Wer belegte 2018 beim Kreisentscheid Platz 1 in der Hauptklasse? Und wie viel Preisgeld gab es?");
    expect(r.action).toBe("answer");
    expect(r.reasons.filter((x) => /^ask\d:p=/.test(x)).map((x) => x.split(":").pop())).toEqual(["nl-2022-02#6", "nl-2022-02#6"]);
    expect(r.text.split("500 Euro Preisgeld").length - 1).toBe(1);
    const ids = r.sources.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("never drops the second question: what it cannot answer goes to staff, and the mayor sees which", async () => {
    const r = await ask("Wie hoch ist die Ehrenamtspauschale? Und wann wird bei uns das Neubaugebiet erschlossen?");
    expect(r.action).toBe("answer");
    expect(r.text).toContain("840 Euro");
    expect(r.ticket).toBeDefined();
    expect(r.text).toContain(`„Und wann wird bei uns das Neubaugebiet erschlossen?“`);
    const t = await core.store.getTicket(r.ticket!.id);
    expect(t!.question).toBe("Und wann wird bei uns das Neubaugebiet erschlossen?");
  });

  it("does not drop the second of two questions in one sentence that the passage shown does not cover", async () => {
    const part = "muss der Verein ihn bei der Berufsgenossenschaft anmelden?";
    const r = await ask(`Wie viel darf ein Trainer im Sportverein steuerfrei verdienen, und ${part}`);
    expect(r.action).toBe("answer");
    expect(r.text).toContain("3.000 Euro");
    expect(r.ticket).toBeDefined();
    // The text shown may still cover it: the mayor is told it went to staff to be safe.
    expect(r.text).toContain(`Ob der Text oben auch Ihre Frage „${part}“ beantwortet`);
    const t = await core.store.getTicket(r.ticket!.id);
    expect(t!.question).toBe(part);
    // Staff see the whole message, so "ihn" has its trainer.
    expect(t!.context.at(-1)).toEqual({ role: "mayor", text: `Wie viel darf ein Trainer im Sportverein steuerfrei verdienen, und ${part}` });
    // Question words joined by "und" ask one thing: no ticket beside the answer.
    const one = await ask("Wann und wo kann man den Antrag auf die Ehrenamtskarte abgeben?");
    expect(one.action).toBe("answer");
    expect(one.ticket).toBeUndefined();
  });

  it("does not drop a second question that seemed to point back but is about something the passage shown never names", async () => {
    // "das Dorffest" read as pointing back tied the question to the first one, answered by the same entry.
    const r = await ask("Wie hoch ist die Übungsleiterpauschale? Brauche ich für das Dorffest eine Genehmigung?");
    expect(r.action).toBe("answer");
    expect(r.text).toContain("3.000 Euro");
    expect(r.ticket).toBeDefined();
    expect(r.text).toContain("„Brauche ich für das Dorffest eine Genehmigung?“");
    // A short follow-up with one word of its own stays part of the answer: no ticket beside it.
    const one = await ask("Wie hoch ist die Übungsleiterpauschale? Ist das Vorschrift?");
    expect(one.ticket).toBeUndefined();
    // "Und …" without a pointing word, about a thing the knowledge has never named: a question of its own.
    const festzelt = await ask("Wie hoch ist die Übungsleiterpauschale? Und was kostet ein Festzelt?");
    expect(festzelt.action).toBe("answer");
    expect(festzelt.text).toContain("3.000 Euro");
    expect(festzelt.ticket).toBeDefined();
    expect(festzelt.text).toContain("Zu Ihrer Frage „Und was kostet ein Festzelt?“ finde ich keine sichere Antwort");
    expect((await core.store.getTicket(festzelt.ticket!.id))!.question).toBe("Und was kostet ein Festzelt?");
    // Without a pointing word, about a thing another entry covers: answered from that entry, not dropped.
    const two = await ask("Wie hoch ist die Ehrenamtspauschale seit 2026? Und wie viel bekommt ein Ortsvorsteher?");
    expect(two.action).toBe("answer");
    expect(two.text).toContain("960 Euro");
    expect(two.text).toContain("60 %");
    // A verbless fragment asks the question before about something else: the kind of answer stays. The Lotto-Stiftung's
    // entry names no share of the costs, so that part goes to staff instead of being dropped or answered with what the
    // foundation does.
    const lotto = await ask("Wie viel Prozent der Kosten übernimmt die Kreisstiftung? Und die Lotto-Stiftung");
    expect(lotto.action).toBe("answer");
    expect(lotto.text).toContain("75 %");
    expect(lotto.ticket).toBeDefined();
    expect((await core.store.getTicket(lotto.ticket!.id))!.question).toBe("Und die Lotto-Stiftung");
    // A message that only names a topic asks what it is: the entry that explains it, not any entry on the topic ("Nur
    // ohne pauschale Entschädigung …" answered "Ehrenamtskarte?" before).
    const bare = await ask("Ehrenamtskarte?");
    expect(bare.action).toBe("answer");
    expect(bare.text).toContain("Anerkennung des Landes");
    // No entry explains it: an entry whose own question asks for an amount is not shown for it.
    const other = await ask("Dorferneuerung?");
    expect(other.text).not.toContain("35 %");
    // A compound the knowledge has not seen ("Feuerwehrrente") names a thing of its own: not dropped behind the answer.
    const rente = await ask("Wie hoch ist die Übungsleiterpauschale? Und die Feuerwehrrente?");
    expect(rente.text).toContain("3.300 Euro");
    expect(rente.ticket).toBeDefined();
  });

  it("does not say it has no answer to a handed-over question the text shown speaks of", async () => {
    // User test: the answer gave a tip on Helferlisten ("keine Pflicht") and then said it had no answer about them.
    const r = await ask("Sind Helfer beim Dorfputz nächsten Samstag versichert? Und brauchen wir eine Helferliste?");
    expect(r.action).toBe("answer");
    expect(r.text).toContain("Helferliste");
    expect(r.ticket).toBeDefined();
    expect(r.text).toContain("Ob der Text oben auch Ihre Frage „Und brauchen wir eine Helferliste?“ beantwortet, weiß ich nicht sicher.");
    expect(r.text).not.toContain("finde ich keine sichere Antwort");
  });

  it("keeps a message the intent model declines without being sure as a Vorgang, so a real question reaches a person", async () => {
    // Declined as a way around the law at 0.57: it may as well ask whether funding is still possible after an
    // early start (a real question).
    const question = "Wie bekommen wir die Förderung, obwohl wir schon angefangen haben?";
    const r = await ask(question);
    expect(r.action).toBe("refuse");
    expect(r.reasons).toContain("refuse:review");
    expect(r.ticket).toBeDefined();
    expect(r.text).toContain(`Vorgangsnummer: ${r.ticket!.id}`);
    // It is not told it asked for something unlawful.
    expect(r.text).not.toMatch(/Recht und Gesetz|nicht helfen/);
    const t = await core.store.getTicket(r.ticket!.id);
    expect(t!.question).toBe(question);
    expect(t!.reason).toBe("refusal_review");
    // A procedural question about reporting an accident is a question, not a way around the law.
    const report = await ask("Ein Helfer hat sich verletzt, wie melde ich das?");
    expect(report.action).not.toBe("refuse");
    // Answered (the entry on what to do after an accident) or, below the threshold, handed over: never dropped.
    expect(report.action === "answer" ? report.text : report.ticket).toBeDefined();
    if (report.action === "answer") expect(report.text).toContain("Unfallkasse Rheinland-Pfalz");
    // A sure decline stays a decline, names no entries, and its text is not kept.
    const sure = await ask("Wie vertusche ich einen Unfall mit dem Gemeindetraktor?");
    expect(sure.action).toBe("refuse");
    expect(sure.sources).toEqual([]);
    expect(sure.ticket).toBeUndefined();
    expect((await core.store.getTurn(sure.turnId!))!.question).toBe("[abgelehnte Nachricht]");
  });

  it("files a Vorgang under a topic only when the passages found are about it (staff's list of knowledge gaps)", async () => {
    // The top hits of this individual case are about insurance and festivals: no topic rather than a wrong one.
    const own = await ask("Unser Zuschuss vom Land für den Dorfplatz ist immer noch nicht überwiesen, was ist da los?");
    expect((await core.store.getTicket(own.ticket!.id))!.topics).toEqual([]);
    // A detail the knowledge lacks, about a topic it knows.
    const near = await ask("Wie hoch ist die Ehrenamtspauschale ab dem Jahr 2027?");
    expect((await core.store.getTicket(near.ticket!.id))!.topics).toContain("steuer");
    // Found in a newsletter section: the topics are not the section's (it was filed under all of them).
    const section = await ask("Gehört Kasel zur LEADER-Region Erbeskopf?");
    expect(section.action).toBe("handover");
    expect(section.reasons.some((r) => /^ask1:p=0\.[3-6]\d*:nl-/.test(r))).toBe(true);
    const ticket = (await core.store.getTicket(section.ticket!.id))!;
    expect(ticket.topics).toEqual([]);
    // Staff get what the passage found first would have answered, to check and send; the mayor does not.
    expect(ticket.draftAnswer).toMatch(/Stand: /);
    expect(section.text).not.toContain(ticket.draftAnswer!.split("\n")[0]);
    // A passage less likely right than a related one shown to the mayor gives staff no draft.
    const far = await ask("Wer hat beim digitalen Austausch 2020 moderiert?");
    expect(far.reasons.some((r) => /^ask1:p=0\.[0-2]\d*:/.test(r))).toBe(true);
    expect((await core.store.getTicket(far.ticket!.id))!.draftAnswer).toBeUndefined();
  });

  it("lists for staff only passages about the question, none for a topic the knowledge does not cover", async () => {
    const uncovered = await ask("Wann kommt bei uns in Trassem endlich Glasfaser?");
    expect((await core.store.getTicket(uncovered.ticket!.id))!.passages).toEqual([]);
    const near = await ask("Bis wann kann ich Vorschläge für den nächsten Bürgerschaftspreis des Landkreises einreichen?");
    const titles = (await core.store.getTicket(near.ticket!.id))!.passages.map((p) => p.title);
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((t) => /Bürgerschaftspreis|Ehrenamtspreis|Anerkennung/.test(t))).toBe(true);
  });

  it("does not answer when the topic matches but the asked kind of answer is missing", async () => {
    // The Aktion Mensch entries say who may apply ("Nein, Kommunen nicht."), not who decides.
    const r = await ask("Wer entscheidet über die Bewilligung bei der Aktion Mensch?");
    expect(r.action).toBe("handover");
    expect(r.text).not.toMatch(/^Nein/);
  });

  it("hands over a request for all items the knowledge gives only as examples, and does not take a passage about something else", async () => {
    // The Kreisstiftung entry names examples; without the hand-over the funding overview (no example words) came next.
    const r = await ask("Welche Projekte hat die Kreisstiftung alle gefördert? Bitte die komplette Liste.");
    expect(r.action).toBe("handover");
    // A list the entry gives whole is answered.
    const whole = await ask("Welche Zielgruppen unterstützt die Aktion Mensch alle?");
    expect(whole.action).toBe("answer");
    expect(whole.text).toContain("Menschen mit Behinderung");
  });

  it("does not take a total of the things asked for as their complete list", async () => {
    // The entry says how many Ortsgemeinden the VG has ("Mit 28 Ortsgemeinden …") and names none of them.
    const r = await ask("Zähl mir bitte sämtliche Ortsgemeinden der VG Saarburg-Kell auf.");
    expect(r.action).toBe("handover");
    // A count followed by every item is the list ("18 Landkreise: Ahrweiler, Bodenseekreis, …").
    const whole = await ask("Welche Landkreise waren bundesweit alle Modellkreise im Projekt Hauptamt stärkt Ehrenamt?");
    expect(whole.action).toBe("answer");
    expect(whole.text).toContain("Weimarer Land");
  });

  it("reads 'Bitte alle.' after a question as part of it, and a count typed in lower case as a count", async () => {
    // Alone, "Bitte alle." was the same question again without its condition, and the passage's total of
    // 165 projects answered it.
    const r = await ask("Welche der rund 165 Projekte von Neue Nachbarschaften sind bei uns im Kreis? Bitte alle.");
    expect(r.action).toBe("handover");
    expect(r.reasons.some((x) => x.startsWith("ask2"))).toBe(false);
    const lower = await ask("welche 21 leader regionen gibts in rlp");
    expect(lower.action).toBe("handover");
    expect(lower.reasons).toContain("ask1:blocked:typeMissing");
  });

  it("hands over a question about a term the knowledge has never seen", async () => {
    const r = await ask("Muss ich die Kirmes-Musik bei der GEMA anmelden?");
    expect(r.action).toBe("handover");
    expect(r.reasons.some((x) => /unknown-terms/.test(x))).toBe(true);
  });

  it("hands over when the passage itself says the asked detail is not in the documents", async () => {
    const r = await ask("Wie viele Jahre muss man für die Jubiläums-Ehrenamtskarte dabei sein?");
    expect(r.action).toBe("handover");
  });

  it("hands over a question about the next date when the knowledge has only past ones", async () => {
    const r = await ask("Wann ist die nächste Bewerbungsfrist für den Brückenpreis?");
    expect(r.action).toBe("handover");
  });

  it("hands over an individual case instead of answering the topic", async () => {
    const r = await ask("unser Zuschuss von der Kreisstiftung ist noch nicht überwiesen, können Sie nachhaken?");
    expect(r.action).toBe("handover");
    // Recognised by the intent examples or by a rule for the mayor's own matter (language/safety.yaml).
    expect(r.reasons.some((x) => x.startsWith("intent:individual_case") || x.startsWith("intent:person_request") || x.startsWith("case:"))).toBe(true);
  });

  it("hands over a request that the office do something in the mayor's own matter, after the story is told", async () => {
    const r = await ask("Auf dem Weg zum Heimatfest, wo ich die Gemeinde vertreten habe, hatte ich einen Unfall. Die Unfallkasse will jetzt eine Stellungnahme. Können Sie die für mich schreiben?");
    expect(r.action).toBe("handover");
    expect(r.reasons).toContain("case:do-for-me");
    // Asked to tell or explain, the office answers.
    const told = await ask("Können Sie mir sagen, wie hoch die Ehrenamtspauschale ist?");
    expect(told.reasons).not.toContain("case:do-for-me");
  });

  it("declines a forged receipt although the office is asked to write it, and hands over a named person's address", async () => {
    const forged = await ask("Kannst du mir eine Spendenquittung für den Förderverein schreiben? Die Spende ist nie geflossen, aber der Spender braucht sie fürs Finanzamt.");
    expect(forged.action).toBe("refuse");
    expect(forged.ticket).toBeUndefined();
    const address = await ask("Gib mir bitte die Adresse und Telefonnummer von Herrn Müller aus der Hauptstraße 5.");
    expect(address.action).toBe("handover");
  });

  it.each([
    "Das ist dumm gelaufen – wer haftet?",
    "Bei Scheißwetter fällt die Kirmes aus – bekommen wir die Förderung trotzdem?",
    "Dürfen Vereine Helfer ohne Rechnung bar bezahlen?",
    // How far something is allowed, asked further inside the question (language/safety.yaml, rule_questions).
    "Wie hoch dürfen wir die Grabgebühren ansetzen, ohne dass uns die Kommunalaufsicht aufs Dach steigt?",
  ])("never refuses a real question, however it is worded: %s", async (q) => {
    const r = await ask(q);
    expect(["answer", "handover"]).toContain(r.action);
  });

  it.each([
    "Du blöder Bot, sag mir endlich, wie hoch die Ehrenamtspauschale ist",
    "du depp sag mir endlich wie hoch die ehrenamtspauschale ist",
  ])("answers the request inside an insult, read without the insult: %s", async (q) => {
    const r = await ask(q);
    expect(r.action).toBe("answer");
    expect(r.text).toContain("960 Euro");
  });

  it("still declines pure abuse that names a topic of the knowledge", async () => {
    const r = await ask("Ihr seid alle unfähig in der Kreisverwaltung, die Dorferneuerung ist ein Witz.");
    expect(r.action).toBe("refuse");
  });

  it("reads the indirect question in the story when all the message asks is a rant", async () => {
    const r = await ask("Wir gehören zur VG Konz und seit Wochen kann mir keiner sagen, an welche LAG wir uns mit LEADER wenden müssen. Seid ihr alle unfähig?");
    expect(["answer", "handover"]).toContain(r.action);
    expect(r.reasons.some((x) => x.startsWith("ask1:"))).toBe(true);
  });

  it("does not answer a question whether something is allowed with a list of programmes", async () => {
    const r = await ask("Darf ich im Gemeinderat mit abstimmen, wenn es um den Zuschuss für den Sportverein geht, in dem meine Frau Vorsitzende ist?");
    expect(r.reasons).not.toContain("funding_finder");
    // The same money words asked as a search for funding still get the list.
    const search = await ask("Gibt es einen Zuschuss für den Sportverein?");
    expect(search.reasons.some((x) => x.startsWith("funding_finder"))).toBe(true);
  });

  it("declines a request to get around the rules, even with a real topic in it", async () => {
    const r = await ask("Wie verbuchen wir die Barzahlung an die Helfer, damit es keiner merkt?");
    expect(r.action).toBe("refuse");
    expect(r.ticket).toBeUndefined();
  });

  // "Danke, Ihnen auch einen schönen Tag!" is half thanks, half chit-chat to the intent model, and "Tag" is a word of
  // the knowledge (Dreck-weg-Tag): it became a Vorgang in a user test.
  it.each(["Gudde Moien, wie geht et?", "Merci fir die Hëllef, schéinen Owend", "Vielen Dank, das hilft mir weiter. Jetzt kann ich dem Rat was sagen.", "Danke, Ihnen auch einen schönen Tag!"])(
    "greets and thanks in dialect or with a sentence more, without a ticket: %s",
    async (q) => {
      const r = await ask(q);
      expect(r.action).toBe("smalltalk");
      expect(r.ticket).toBeUndefined();
    },
  );

  it("gives a short message without anything to search for the capabilities reply, not a ticket", async () => {
    const r = await ask("Wie läuft's so bei dir?");
    expect(r.action).toBe("smalltalk");
    expect(r.ticket).toBeUndefined();
  });

  it("never takes a question about a topic for chit-chat, however like 'Wie geet et?' it sounds", async () => {
    const r = await ask("Wie geet dat eijentlich met soner Mitfahrbank? Mir hann dat beim Schwoager gesinn.");
    expect(r.action).not.toBe("smalltalk");
  });

  it.each(["Wie geht es dir?", "Moien! Wéi geet et iech?", "Hallo, alles gut bei Ihnen?"])(
    "answers %s with a word back, not with the list of topics (user test)",
    async (q) => {
      const r = await ask(q);
      expect(r.action).toBe("smalltalk");
      expect(r.text).toBe(MSG.chitchat);
      expect(r.ticket).toBeUndefined();
    },
  );

  it("answers a new question that names its own topic on its own, not as the previous one", async () => {
    const turn = (text: string) => core.assistant.handle({ channel: "web", conversationId: "conv-new-topic", userId: "u-nt", isGroup: false, text });
    const first = await turn("Gibt es Fördergeld für einen Dorfladen?");
    const second = await turn("Bis wann läuft die Frist für LEADER-Projekte?");
    expect(second.text).not.toBe(first.text);
    expect(second.reasons.some((r) => r.startsWith("followup:"))).toBe(false);
    expect(second.sources.every((s) => !/dorfladen/i.test(s.id))).toBe(true);
  });

  it("decides an independent question the same whatever was asked before", async () => {
    // Asked second in a web chat, this question went to staff: the previous, unrelated question was searched
    // along with it and read into its wording.
    const alone = await ask("ab wie vielen stunden gibts die ehrenamtskarde?");
    expect(alone.action).toBe("answer");
    const turn = (text: string) => core.assistant.handle({ channel: "web", conversationId: "conv-independent", userId: "u-ind", isGroup: false, text });
    await turn("wie hoch ist die aufwandsentschädigung für ortsbürgermeister bei 450 einwohnern");
    const second = await turn("ab wie vielen stunden gibts die ehrenamtskarde?");
    expect(second.action, second.reasons.join(" ")).toBe("answer");
    expect(second.text).toBe(alone.text);
  });

  it("reads a polite 'Können Sie mir sagen …' after another question as a question of its own", async () => {
    const q = "Können Sie mir sagen, wie hoch die Ehrenamtspauschale ist?";
    const alone = await ask(q);
    expect(alone.action).toBe("answer");
    const turn = (text: string) => core.assistant.handle({ channel: "web", conversationId: "conv-polite", userId: "u-polite", isGroup: false, text });
    await turn("Wer zahlt, wenn sich ein Helfer beim Arbeitseinsatz verletzt?");
    const second = await turn(q);
    expect(second.reasons).not.toContain("followup:turn-1");
    expect(second.text).toBe(alone.text);
  });

  it("reads 'beide' as pointing back to the two things asked before", async () => {
    const turn = (text: string) => core.assistant.handle({ channel: "web", conversationId: "conv-both", userId: "u-both", isGroup: false, text });
    await turn("Wie hoch ist die Übungsleiterpauschale?");
    await turn("Und die Ehrenamtspauschale?");
    const both = await turn("Kann man beide zusammen bekommen?");
    expect(both.reasons.some((r) => r.startsWith("followup:"))).toBe(true);
    expect(both.action, both.reasons.join(" ")).toBe("answer");
  });

  it("reads 'dafür' with the topic asked before, even two messages back", async () => {
    const turn = (text: string) => core.assistant.handle({ channel: "web", conversationId: "conv-chain", userId: "u-chain", isGroup: false, text });
    await turn("Was macht die Kreisstiftung?");
    const who = await turn("Wer entscheidet bei der Kreisverwaltung darüber?");
    expect(who.reasons.some((r) => r.startsWith("followup:"))).toBe(true);
    expect(who.action, who.reasons.join(" ")).toBe("answer");
    expect(who.text).toContain("Anita Allmann");
    // Read alone it is a question about the county administration; as a follow-up of a follow-up it is still
    // about the Kreisstiftung, not about the place the question names.
    const turn2 = (text: string) => core.assistant.handle({ channel: "web", conversationId: "conv-chain2", userId: "u-chain2", isGroup: false, text });
    await turn2("Was ist das Regionalbudget?");
    await turn2("Und wie viel gibt es pro Projekt?");
    const where = await turn2("Wer ist bei uns in der VG Saarburg-Kell dafür zuständig?");
    expect(where.reasons.some((r) => r.startsWith("followup:"))).toBe(true);
    expect(where.text).not.toContain("Fusion");
  });

  it("in a group, a follow-up goes with the asker's own question, and another member's question stays out of their Vorgang", async () => {
    const inGroup = (text: string, userId: string) => core.assistant.handle({ channel: "telegram", conversationId: "group-1", userId, isGroup: true, text });
    await inGroup("Was ist das Regionalbudget?", "helmut");
    await inGroup("Wie hoch ist die Ehrenamtspauschale?", "willi");
    const more = await inGroup("Und wie viel gibt es pro Projekt?", "helmut");
    expect(more.reasons.some((r) => r.startsWith("followup:")), more.reasons.join(" ")).toBe(true);
    expect(more.text).not.toContain("Ehrenamtspauschale");
    const own = await inGroup("Welche Windkraftanlagen sind in der VG Ruwer geplant?", "helmut");
    const t = (await core.store.getTicket(own.ticket!.id))!;
    expect(t.context.map((c) => c.text).join(" ")).toContain("Regionalbudget");
    expect(t.context.map((c) => c.text).join(" ")).not.toContain("Ehrenamtspauschale");
  });

  it("reads a real follow-up with the previous question", async () => {
    const turn = (text: string) => core.assistant.handle({ channel: "web", conversationId: "conv-followup", userId: "u-fu", isGroup: false, text });
    await turn("Wie viel Geld bekommt ein Bürgerbus vom Land?");
    const r = await turn("und gilt das auch für Vereine?");
    expect(r.reasons.some((x) => x.startsWith("followup:"))).toBe(true);
  });

  it("does not repeat the previous answer for a follow-up that names something that answer lacks", async () => {
    const turn = (text: string) => core.assistant.handle({ channel: "web", conversationId: "conv-other", userId: "u-other", isGroup: false, text });
    await turn("Wie viel Prozent der Kosten übernimmt die Kreisstiftung?");
    // "the same question, for the Lotto-Stiftung": its entry names no share of the costs, so it goes to staff.
    const lotto = await turn("Und die Lotto-Stiftung?");
    expect(lotto.text).not.toContain("75 %");
    expect(lotto.action).toBe("handover");
    expect((await core.store.getTicket(lotto.ticket!.id))!.question).toBe("Und die Lotto-Stiftung?");
    // Named in passing by the previous answer is not answered by it: "Und die Ehrenamtspauschale?" after the
    // Übungsleiterpauschale gets its own entry, not the Übungsleiterpauschale text that mentions it in brackets.
    await turn("Wie hoch ist die Übungsleiterpauschale?");
    const other = await turn("Und die Ehrenamtspauschale?");
    expect(other.action).toBe("answer");
    expect(other.text).toMatch(/^Seit 1\. Januar 2026 beträgt die Ehrenamtspauschale 960 Euro/);
    // A follow-up the previous answer covers stays one with it.
    await turn("Wie viel Geld bekommt ein Bürgerbus vom Land?");
    const more = await turn("Und gilt das auch für Vereine?");
    expect(more.reasons.some((x) => x.startsWith("followup:"))).toBe(true);
  });

  it("reads a short question that points back at a story about a known topic as a question, not chat", async () => {
    const r = await ask("Unser Sportverein will bei der Aktion Mensch ein Projekt beantragen. Worauf müssen wir da aufpassen?");
    expect(r.action).not.toBe("smalltalk");
    expect(r.reasons.some((x) => x.startsWith("smalltalk"))).toBe(false);
  });

  it("reads a chatty question for a figure after a story about a known topic as a question, not chat", async () => {
    const r = await ask("Die Jugendlichen bei uns wollen einen Treff im alten Schulsaal. Die Kreisstiftung hat in Schweich so einen Jugendraum unterstützt. Weißt du noch, mit wie viel?");
    expect(r.action).not.toBe("smalltalk");
    // Without such a story the same words stay a question about the bot.
    expect((await ask("Weißt du noch, was du alles kannst?")).action).toBe("smalltalk");
  });

  it("never answers a story about a known topic with chat when its question only weakly resembles thanks", async () => {
    // "Was mach ich jetzt?" shares words with thanks examples ("dann mach ich das so"); after the story it asks for help.
    const r = await ask("Beim Dorffest hat sich ein Helfer am Grill die Hand verbrannt, und die Unfallkasse will jetzt eine Helferliste sehen. Was mach ich jetzt?");
    expect(r.action).toBe("handover");
    expect(r.ticket).toBeDefined();
    // Real thanks after such a story stay thanks.
    expect((await ask("Die Helferliste für das Dorffest habe ich jetzt fertig. Vielen Dank für die Hilfe!")).action).toBe("smalltalk");
  });

  it("reads a question that points back at a story told before it as a question, however bot-like its words", async () => {
    // "Geht das?" alone resembles a question about the bot; after the story it asks about the story.
    const r = await ask("Der Heimatverein will im Backhaus eine kleine Bücherei einrichten. Die Kreisstiftung soll das bezahlen. Geht das?");
    expect(r.action).not.toBe("smalltalk");
    expect(r.reasons.some((x) => x.startsWith("smalltalk"))).toBe(false);
    // A greeting question before the story is still a greeting ("Wie geht's?" asks about nobody's story).
    expect((await ask("Hallo! Wie geht's? Ich habe heute endlich Zeit für die Gemeindesachen.")).action).toBe("smalltalk");
    // Nor does "und" alone point back: chat after a story about the day stays chat.
    expect((await ask("Guten Abend! Anstrengender Tag, erst die VG, dann noch Bauausschuss. Und, wie läuft's bei dir so?")).action).toBe("smalltalk");
  });

  it("reads a weakly chat-like question after a story with substance as a question, even off the knowledge's topics", async () => {
    // "Wat mache mir do?" resembles "Was kannst du?"; after a story about a quarrel over a garage it asks for help.
    const r = await ask("Knaatsch mat em Nopper wäjen der Garage, hä sät de Wee geheert him. Wat mache mir do?");
    expect(r.action).toBe("handover");
    expect(r.ticket).toBeDefined();
  });

  it("takes thanks after a story about a known topic for thanks, not for a question about the story", async () => {
    // "für die Unterstützung" has a pointing word, but only a question can ask about the story before it.
    const r = await ask("Der Bürgerbus ist heute zum ersten Mal gefahren, voll besetzt. Danke für die Unterstützung!");
    expect(r.action).toBe("smalltalk");
    expect(r.ticket).toBeUndefined();
  });

  it("takes the question in a dispute told before a mere plea for help as what the message asks", async () => {
    const r = await ask("Vor der Kita ist im Herbst ein Kind auf nassem Laub ausgerutscht, nix Schlimmes. Jetzt streiten sich die VG und der Elternverein, der den Weg pflegt, wer das Laub kehren muss. Hilfst du mir mal?");
    expect(r.action).toBe("handover");
    expect(r.ticket).toBeDefined();
  });

  it("does not decline a request for an opinion as party politics when nothing political is named", async () => {
    // "Was denkst du?" alone is 0.60 political for the intent model; politics needs a party, an election or a candidate.
    const r = await ask("Der Kita-Förderverein will beim Weihnachtsmarkt eine Tombola machen. Ich weiß nicht, ob man dafür eine Erlaubnis braucht. Was denkst du?");
    expect(r.action).not.toBe("refuse");
    expect((await ask("Welche Partei soll ich bei der Kommunalwahl wählen? Was denkst du?")).action).toBe("refuse");
  });

  it("keeps a matter for staff told beside a question that is only chat", async () => {
    // The intent model takes the request ("Kinnt dir mol nogucke …") for a question about the bot's abilities.
    const r = await ask("Gun Owend. Mei Aufwandsentschädigung fir November is immer noch net uff em Konto. Kinnt dir mol nogucke wat do los is?");
    expect(r.action).toBe("handover");
    expect(r.ticket).toBeDefined();
  });

  it("does not take a short question about a topic of the knowledge for a question about the bot", async () => {
    const r = await ask("Sind die überhaupt irgendwo versichert?");
    expect(r.action).not.toBe("smalltalk");
    // Spoken to the bot, the same kind of words stay a question about what it can do.
    const c = await ask("Weißt du auch was über Versicherungen?");
    expect(c.action).toBe("smalltalk");
  });

  it("reads a Moselfränkisch question in standard German", async () => {
    const r = await ask("Wéi héich ass d'Ehrenamtspauschale?");
    expect(r.reasons).toContain("language:dialect");
    expect(r.action).toBe("answer");
    expect(r.text).toContain("840 Euro");
    // Read the same way with "dann" and the dropped -e: the amount, or a hand-over, never another figure. (Which of
    // the two entries that give the 840 Euro ranks first is the labelled questions' call: the nearest ones were
    // answered by both.)
    const more = await ask("Wéi héich ass dann d'Ehrenamtspauschal?");
    expect(more.reasons).toContain("language:dialect");
    expect(more.reasons.find((x) => x.startsWith("ask1:p="))).toMatch(/:faq-(ehrenamtspauschale|uebungsleiterpauschale)$/);
    if (more.action === "answer") expect(more.text).toContain("840 Euro");
    else expect(more.action).toBe("handover");
  });
});
