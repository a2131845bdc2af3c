import { describe, expect, it } from "vitest";
import { loadLanguageData } from "../../src/language/resources.js";
import { MessageSplitter } from "../../src/language/segment.js";

const splitter = new MessageSplitter(loadLanguageData().segmentation);

describe("message splitter (language/segmentation.yaml)", () => {
  it("splits two questions in one message", () => {
    const s = splitter.split("Brückenpreis: An welchem Tag war die Verleihung? Und wer stiftet den Preis?");
    expect(s.asks).toEqual(["Brückenpreis: An welchem Tag war die Verleihung?", "Und wer stiftet den Preis?"]);
  });

  it("finds two questions in one sentence joined by 'und'/'oder' and a new question start, but keeps them one ask", () => {
    expect(splitter.splitCoordinated("Wie hoch ist die Ehrenamtspauschale und wer bekommt die Ehrenamtskarte?"))
      .toEqual(["Wie hoch ist die Ehrenamtspauschale?", "wer bekommt die Ehrenamtskarte?"]);
    expect(splitter.splitCoordinated("Kostet die Ehrenamtskarte etwas, und wie lange gilt sie?")).toEqual(["Kostet die Ehrenamtskarte etwas?", "wie lange gilt sie?"]);
    // One question: joined question words, an alternative, a bare question word after "und".
    expect(splitter.splitCoordinated("Wann und wo kann man den Antrag abgeben?")).toHaveLength(1);
    expect(splitter.splitCoordinated("Muss ich das melden oder reicht eine Liste?")).toHaveLength(1);
    expect(splitter.splitCoordinated("Wie viel Geld gibt es und wofür?")).toHaveLength(1);
    // Read whole, such a message often finds the entry that answers both parts (eval/reserve/two1.jsonl).
    expect(splitter.split("Wie hoch ist die Ehrenamtspauschale und wer bekommt die Ehrenamtskarte?").asks).toHaveLength(1);
  });

  it("drops punctuation a dictation app wrote out as words, but not the noun or a time", () => {
    expect(splitter.dropSpokenPunctuation("wir überlegen einen bürgerbus punkt gibt es dafür geld komma und wer berät uns fragezeichen"))
      .toBe("wir überlegen einen bürgerbus gibt es dafür geld und wer berät uns");
    expect(splitter.dropSpokenPunctuation("der springende punkt ist wer zahlt")).toBe("der springende punkt ist wer zahlt");
    expect(splitter.dropSpokenPunctuation("treffpunkt ist punkt 8 uhr wer ist versichert")).toBe("treffpunkt ist punkt 8 uhr wer ist versichert");
    expect(splitter.dropSpokenPunctuation("wir waren bei m punkt rlp was kostet die beratung")).toBe("wir waren bei m punkt rlp was kostet die beratung");
    expect(splitter.dropSpokenPunctuation("hallo\nwie hoch ist die pauschale")).toBe("hallo\nwie hoch ist die pauschale");
    expect(splitter.dropSpokenPunctuation("gibt es geld komma\nund wer berät uns")).toBe("gibt es geld\nund wer berät uns");
    // A message with marks of its own was not dictated that way.
    expect(splitter.dropSpokenPunctuation("Wie hoch ist der Zuschuss, Punkt?")).toBe("Wie hoch ist der Zuschuss, Punkt?");
  });

  it("reads a sentence that only asks for the answer in full as part of the question before it", () => {
    expect(splitter.split("Welche Projekte hat die Kreisstiftung gefördert? Bitte alle.").asks).toEqual(["Welche Projekte hat die Kreisstiftung gefördert? Bitte alle."]);
    expect(splitter.split("Welche Aufgaben darf die Gemeinde übertragen? Gibts da ne vollständige Liste?").asks)
      .toEqual(["Welche Aufgaben darf die Gemeinde übertragen? Gibts da ne vollständige Liste?"]);
    // Told as a statement, it is still no story around the question.
    const s = splitter.split("Welche Projekte gab es? Alle bitte, nicht nur Beispiele.");
    expect(s.asks).toEqual(["Welche Projekte gab es? Alle bitte, nicht nur Beispiele."]);
    expect(s.context).toBe("");
    expect(s.segments.every((x) => x.asks)).toBe(true);
    // It may name again what the question asks about.
    expect(splitter.split("Was hat die Stiftung unterstützt? Ich brauch alle Projekte, nicht nur ein paar.").asks).toHaveLength(1);
    expect(splitter.split("Welche Projekte gab es? Bitte alle aufzählen.").asks).toHaveLength(1);
    // A question of its own: a question word, words of a topic, or "alle" after a preposition (whom a rule covers).
    expect(splitter.split("Wie hoch ist der Zuschuss? Und bis wann?").asks).toEqual(["Wie hoch ist der Zuschuss?", "Und bis wann?"]);
    expect(splitter.split("Wie hoch ist die Pauschale? Gilt das für alle?").asks).toEqual(["Wie hoch ist die Pauschale?", "Gilt das für alle?"]);
    expect(splitter.split("Wer fördert Dorfläden? Gibt es eine Liste der Dorfläden im Kreis?").asks).toHaveLength(2);
    // Nothing before it to qualify: it is the question.
    expect(splitter.split("Gibt es eine vollständige Liste?").asks).toEqual(["Gibt es eine vollständige Liste?"]);
  });

  it("tells a follow-up with a pointing word from one that names a thing of its own", () => {
    expect(splitter.hasPointingWord("Ist das Vorschrift?")).toBe(true);
    expect(splitter.hasPointingWord("Und gibt's da ne Untergrenze?")).toBe(true);
    expect(splitter.hasPointingWord("Und was kostet ein Festzelt?")).toBe(false);
    expect(splitter.hasPointingWord("Und gibt es Förderung für Glasfaser?")).toBe(false);
    expect(splitter.hasPointingWord("Und gibt es das auch für Vereine?")).toBe(true);
    // "Sie" after "Können" addresses the reader.
    expect(splitter.hasPointingWord("Können Sie mir einen Zeltverleih nennen?")).toBe(false);
    // In a verbless fragment "die" before a noun is an article: it names a new subject.
    expect(splitter.hasPointingWord("Und die Feuerwehrrente?")).toBe(false);
    expect(splitter.hasPointingWord("Und die?")).toBe(true);
  });

  it("reads a message that only names a topic as asking what it is", () => {
    expect(splitter.bareTopicQuestion("Ehrenamtskarte?")).toBe("Was ist Ehrenamtskarte?");
    expect(splitter.bareTopicQuestion("dsee")).toBe("Was ist dsee?");
    // Two words are mostly a topic and what is wanted of it; a question word, verb or pointing word asks for itself.
    expect(splitter.bareTopicQuestion("mitfahrbank förderung?")).toBeUndefined();
    expect(splitter.bareTopicQuestion("Wieso?")).toBeUndefined();
    expect(splitter.bareTopicQuestion("Stimmt?")).toBeUndefined();
    expect(splitter.bareTopicQuestion("Das?")).toBeUndefined();
  });

  it("reads a verbless fragment after a question as that question about something else", () => {
    expect(splitter.isFragment("Und die Lotto-Stiftung?")).toBe(true);
    expect(splitter.isFragment("und bei der lag mosel")).toBe(true);
    expect(splitter.isFragment("Und 2040?")).toBe(true);
    // A verb, a subject or nothing named: no fragment of a question.
    expect(splitter.isFragment("Und gibt es Geld für Photovoltaik?")).toBe(false);
    expect(splitter.isFragment("und wir wissen nicht weiter")).toBe(false);
    expect(splitter.isFragment("Und danke")).toBe(false);
    // A question word or a pointing word other than an article asks a question of its own.
    expect(splitter.isFragment("Und woher kam das Geld dafür?")).toBe(false);
    expect(splitter.isFragment("und bleibt da der unfallschutz")).toBe(false);
    // Left open without a question mark, it still asks.
    expect(splitter.split("Wer ist Geschäftsführer der LAG Moselfranken? und bei der LAG Mosel").asks).toEqual(["Wer ist Geschäftsführer der LAG Moselfranken?", "und bei der LAG Mosel"]);
    expect(splitter.split("Wie viel übernimmt die Kreisstiftung? Und die Lotto-Stiftung").asks).toHaveLength(2);
    // Closed by a full stop, or not after a question, it stays story.
    expect(splitter.split("Wie viel übernimmt die Kreisstiftung? Und die Lotto-Stiftung.").asks).toHaveLength(1);
    expect(splitter.split("Wer zahlt das? Und zwar schnell").asks).toHaveLength(1);
    expect(splitter.split("Wir haben ein Fest geplant. Und die Lotto-Stiftung").asks).toEqual(["Wir haben ein Fest geplant. Und die Lotto-Stiftung"]);
  });

  it("reads a last sentence left open after 'und' + verb as a question whose mark was forgotten", () => {
    expect(splitter.split("Bekommen Privatleute Zuschuss für ihr Haus? Und gibt es Geld für Photovoltaik").asks).toHaveLength(2);
    // Closed by a full stop, or without the linking word, it stays story.
    expect(splitter.split("Bekommen Privatleute Zuschuss für ihr Haus? Und gibt es Geld für Photovoltaik.").asks).toHaveLength(1);
    expect(splitter.split("Wie hoch ist die Pauschale? Bin neu im Amt").asks).toHaveLength(1);
  });

  it("separates the story from the question", () => {
    const s = splitter.split("Bei uns im Rat gab es gestern Streit. Der Kassierer ist sauer. Wer zahlt, wenn sich ein Helfer verletzt?");
    expect(s.asks).toEqual(["Wer zahlt, wenn sich ein Helfer verletzt?"]);
    expect(s.context).toBe("Bei uns im Rat gab es gestern Streit. Der Kassierer ist sauer.");
  });

  it("splits unpunctuated dictation at question words and 'und' + verb", () => {
    const s = splitter.split("hat das land während corona extra geld für nachbarschaftshilfen gegeben wie viel war das pro initiative und läuft das heute noch");
    expect(s.asks).toEqual([
      "hat das land während corona extra geld für nachbarschaftshilfen gegeben",
      "wie viel war das pro initiative",
      "läuft das heute noch",
    ]);
  });

  it("separates a reason told after a dictated question from the question", () => {
    const s = splitter.split("welche verbandsgemeinden gibt es bei uns im kreis überhaupt ich brauch das für ne präsentation im rat");
    expect(s.asks).toEqual(["welche verbandsgemeinden gibt es bei uns im kreis überhaupt"]);
    expect(s.context).toBe("ich brauch das für ne präsentation im rat");
  });

  it("reads 'denn' after the question's verb as a particle, not as the start of a reason", () => {
    const s = splitter.split("äh sag mal wer hat denn damals die modellkreise bekannt gegeben und wann war das");
    expect(s.asks[0]).toMatch(/^äh sag mal wer hat denn damals die modellkreise bekannt gegeben/);
    // After a complete question, "denn" still starts the reason told with it.
    expect(splitter.split("welche verbandsgemeinden gibt es bei uns im kreis überhaupt denn ich mach ne präsentation").asks).toEqual([
      "welche verbandsgemeinden gibt es bei uns im kreis überhaupt",
    ]);
  });

  it("keeps abbreviations, ordinals and numbers inside one sentence", () => {
    expect(splitter.sentences("Gilt das z. B. auch für den 1. April 2026? Und für e. V. mit 3.000 Euro?")).toEqual([
      "Gilt das z. B. auch für den 1. April 2026?",
      "Und für e. V. mit 3.000 Euro?",
    ]);
  });

  it("ends a sentence at a full stop before a lower-case word only in a message typed all in lower case", () => {
    expect(splitter.sentences("kost so 2000 euro. die ham null bock auf papierkram.")).toEqual(["kost so 2000 euro.", "die ham null bock auf papierkram."]);
    // With capitals, a lower-case word after a full stop continues the sentence (an abbreviation the list lacks).
    expect(splitter.sentences("Das kostet ca. zehn Euro im Jahr.")).toEqual(["Das kostet ca. zehn Euro im Jahr."]);
    expect(splitter.sentences("Wir zahlen lt. Beschluss zehn Euro.")).toEqual(["Wir zahlen lt. Beschluss zehn Euro."]);
    expect(splitter.sentences("gilt das z. b. auch für vereine")).toEqual(["gilt das z. b. auch für vereine"]);
  });

  it("takes a last sentence left open that starts like a question as the ask when nothing else asks", () => {
    const s = splitter.split("unser jugendwart kriegt ne kleine pauschale, so 50 euro. der is locker 6 stunden die woche dran. kann der trotzdem die ehrenamtskarte kriegen");
    expect(s.asks).toEqual(["kann der trotzdem die ehrenamtskarte kriegen"]);
    expect(s.context).toMatch(/^unser jugendwart .* dran\.$/);
    const t = splitter.split("Der Heimatverein will am Rundweg zwei Bänke aufstellen. Das kostet 2000 Euro. Gibt es dafür eine einfache Förderung");
    expect(t.asks).toEqual(["Gibt es dafür eine einfache Förderung"]);
    // A closed last sentence stays a statement; a message of one open sentence is one ask as before.
    expect(splitter.split("Wir waren gestern beim Fest. Sind grad heim.").asks).toEqual(["Wir waren gestern beim Fest. Sind grad heim."]);
    expect(splitter.split("sammelversicherung deckungssummen").asks).toEqual(["sammelversicherung deckungssummen"]);
  });

  it("reads a line wrapped after a word no sentence ends with as one sentence, other line breaks as two", () => {
    expect(splitter.sentences("Wie hoch ist\ndie Ehrenamtspauschale?")).toEqual(["Wie hoch ist die Ehrenamtspauschale?"]);
    expect(splitter.sentences("Sind die Helfer beim\nDorfputz versichert?")).toEqual(["Sind die Helfer beim Dorfputz versichert?"]);
    expect(splitter.sentences("Hallo\nwie hoch ist die Pauschale?")).toEqual(["Hallo", "wie hoch ist die Pauschale?"]);
    expect(splitter.sentences("Wir machen ein Fest mit\n\nwer zahlt?")).toEqual(["Wir machen ein Fest mit", "wer zahlt?"]);
  });

  it("finds the question embedded in a story sentence", () => {
    const s = splitter.split("Meine Enkelin schreibt ein Referat und fragt, welchen Rechtsstatus ich im Amt habe?");
    expect(s.asks).toEqual(["welchen Rechtsstatus ich im Amt habe?"]);
  });

  it("finds a request inside a sentence: after a comma, or mid-sentence with 'mir', 'mal' … after the verb", () => {
    expect(splitter.requestInside("Du blöder Bot, sag mir endlich, wie hoch die Pauschale ist")).toBe("sag mir endlich, wie hoch die Pauschale ist");
    expect(splitter.requestInside("du depp sag mir mal wer da zahlt")).toBe("sag mir mal wer da zahlt");
    expect(splitter.requestInside("Ihr Sesselpupser – seit Wochen kann mir keiner sagen, wer da zahlt")).toBe("wer da zahlt");
    expect(splitter.requestInside("Nenn mir die Frist fürs Regionalbudget")).toBe("Nenn mir die Frist fürs Regionalbudget");
    // Told speech is no request, nor is an insult alone.
    expect(splitter.requestInside("Und dann sag ich zu ihm, das geht so nicht")).toBeUndefined();
    expect(splitter.requestInside("Ihr seid doch alle Versager da oben in Trier")).toBeUndefined();
  });

  it("finds an indirect question in a statement only when its verb asks or is negated", () => {
    expect(splitter.indirectQuestion("Seit Wochen kann mir keiner sagen, an welche LAG wir uns wenden müssen.")).toBe("an welche LAG wir uns wenden müssen.");
    expect(splitter.indirectQuestion("Der Rat fragt, ob die Helfer versichert sind.")).toBe("ob die Helfer versichert sind.");
    expect(splitter.indirectQuestion("Ich weiß nicht, ob wir das dürfen.")).toBe("ob wir das dürfen.");
    expect(splitter.indirectQuestion("Ich weiß, wie das geht.")).toBeUndefined();
    expect(splitter.indirectQuestion("Wir haben im März einen Antrag gestellt.")).toBeUndefined();
    // A dispute or doubt embeds a question too, also behind a relative clause.
    expect(splitter.indirectQuestion("Im Rat streiten wir, ob der Dorfladen ein Verein werden soll.")).toBe("ob der Dorfladen ein Verein werden soll.");
    expect(splitter.indirectQuestion("Jetzt streiten der Rat und der Verein, der den Saal nutzt, wer die Heizung bezahlt.")).toBe("wer die Heizung bezahlt.");
    // A negation alone embeds nothing: "keiner" here is no "keiner kann sagen".
    expect(splitter.indirectQuestion("Keiner war da, wer hätte das gedacht.")).toBeUndefined();
    // Story next to a question of its own: the statement stays story.
    expect(splitter.split("Der Rat fragt, ob die Helfer versichert sind. Sind sie es?").asks).toEqual(["Sind sie es?"]);
  });

  it("reads a message without any question form as one question", () => {
    expect(splitter.split("sammelversicherung deckungssummen").asks).toEqual(["sammelversicherung deckungssummen"]);
  });

  it("counts a leading verb as a question only in unpunctuated dictation", () => {
    expect(splitter.split("Sind grad vom Feuerwehrfest heim. Gute Nacht!").segments.every((x) => !x.asks)).toBe(true);
    expect(splitter.split("gibt es für mitfahrbänke geld vom land").segments[0].asks).toBe(true);
  });

  it("treats requests phrased as statements or imperatives as questions", () => {
    expect(splitter.asks("Nennen Sie mir bitte die Nummer der LAG.", false)).toBe(true);
    expect(splitter.asks("Ich bräuchte die Adresse der Kreisstiftung.", false)).toBe(true);
    expect(splitter.asks("Unser Dorf hat 400 Einwohner.", false)).toBe(false);
  });

  it("knows a follow-up from a question that names its own topic", () => {
    expect(splitter.continues("und bis wann?", 0)).toBe(true);
    expect(splitter.continues("Gilt das auch für Vereine?", 1)).toBe(true);
    expect(splitter.continues("Bis wann läuft die Frist für LEADER-Projekte im Kreis?", 4)).toBe(false);
  });

  it("after the previous message, reads articles and pointing words after the question's own noun as its own", () => {
    // Within one message "die" still ties a short question to the story before it.
    expect(splitter.continues("gibts die ehrenamtskarte?", 1)).toBe(true);
    expect(splitter.continues("gibts die ehrenamtskarte?", 1, false)).toBe(false);
    expect(splitter.continues("Was sind Ehrenamtliche Bürgerprojekte und wie viel Geld gibt es da?", 2, false)).toBe(false);
    // "Sie" after "Können" addresses the reader; "sie" after "Gilt" points back.
    expect(splitter.continues("Können Sie mir sagen, wie hoch die Ehrenamtspauschale ist?", 1, false)).toBe(false);
    expect(splitter.continues("Wisst ihr, ob es die Ehrenamtskarte gibt?", 1, false)).toBe(false);
    expect(splitter.continues("Gilt sie auch für Vereine?", 1, false)).toBe(true);
    // "beide" points back to two things named before.
    expect(splitter.continues("Kann man beide zusammen bekommen?", 1, false)).toBe(true);
    // The existential "es gibt" names nothing said before; within one message the story is still read with it.
    expect(splitter.continues("Gibt es Geld für einen Dorfladen?", 2, false)).toBe(false);
    expect(splitter.continues("Gab es 2024 einen Aufruf?", 1, false)).toBe(false);
    expect(splitter.continues("Gibt es Geld für die Kühltheke?", 2)).toBe(true);
    expect(splitter.continues("Gibt es das auch für Vereine?", 1, false)).toBe(true);
    expect(splitter.continues("Geht es auch ohne Verein?", 1, false)).toBe(true);
    // Real follow-ups stay follow-ups.
    expect(splitter.continues("gilt die auch für Vereine?", 1, false)).toBe(true);
    expect(splitter.continues("Gilt das auch für Vereine?", 1, false)).toBe(true);
    expect(splitter.continues("und bis wann?", 0, false)).toBe(true);
  });

  it("after the previous message, reads a pronominal adverb as pointing back despite the question's own words", () => {
    // Four content words of its own (VG, Saarburg, Kell, zuständig): still "dafür" needs a thing named before.
    expect(splitter.continues("Wer ist bei uns in der VG Saarburg-Kell dafür zuständig?", 4, false)).toBe(true);
    expect(splitter.continues("Wer entscheidet bei der Kreisverwaltung darüber?", 2, false)).toBe(true);
    // The question names the thing itself before "und": "dafür" points to it.
    expect(splitter.continues("Was sind Bürgerprojekte und wie viel Geld gibt es dafür?", 3, false)).toBe(false);
    // Too many words of its own: a question of its own.
    expect(splitter.continues("Wer ist bei der Kreisverwaltung in Trier für Zuschüsse an Sportvereine mit eigenem Sportplatz dafür zuständig?", 8, false)).toBe(false);
    // Inside one message the old limit holds (the story is read with the question anyway).
    expect(splitter.continues("Wer ist bei uns in der VG Saarburg-Kell dafür zuständig?", 4)).toBe(false);
    // Bare "da", "dort" stay weak: after the question's own noun they point to it.
    expect(splitter.continues("Was sind Ehrenamtliche Bürgerprojekte und wie viel Geld gibt es da?", 2, false)).toBe(false);
  });
});
