/** A mayor's question quoted in a reply: long ones shortened, so the reply stays readable on a phone. */
const quoted = (question: string) => (question.length > 120 ? question.slice(0, 119) + "…" : question);

/** The button under an answer that hands the question to staff (every channel shows it with this label). */
export const HANDOVER_BUTTON = "An das Team weitergeben";

/** Every German sentence the core says to a mayor. Channels add their own command hints. */
/** A question as a short quote: its first words, cut at a word ("„Unser Zuschuss vom Land ist immer …“"). */
export function askedBriefly(question: string, max = 60): string {
  const flat = question.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return `„${flat}“`;
  const cut = flat.slice(0, max);
  const at = cut.lastIndexOf(" ");
  return `„${(at > max / 2 ? cut.slice(0, at) : cut).replace(/[\s,;:–-]+$/u, "")} …“`;
}

export const MSG = {
  greeting:
    "Guten Tag! Ich bin der Ortslotse des Projekts „Hauptamt stärkt Ehrenamt“ im Landkreis Trier-Saarburg.\n\n" +
    "Fragen Sie mich zu Förderprogrammen, Versicherungsschutz im Ehrenamt, Ihrer Rolle als Ortsbürgermeisterin oder Ortsbürgermeister und zu guten Beispielen aus anderen Dörfern. " +
    "Schreiben Sie einfach Ihre Frage, gern kurz.",
  capabilities:
    "Ich beantworte Fragen aus dem Newsletter und den häufigen Fragen des Projekts „Hauptamt stärkt Ehrenamt“, zum Beispiel:\n" +
    "• Förderung: LEADER, Ehrenamtliche Bürgerprojekte, Kreisstiftung, Dorferneuerung, Bürgerbus\n" +
    "• Versicherung: Unfallkasse, Sammelversicherung, Dorffest, Privatauto\n" +
    "• Ihr Amt: Aufwandsentschädigung, Verdienstausfall, Gemeindeordnung\n" +
    "• Gute Beispiele: Dorfläden, Nachbarschaftshilfe, Dorfwettbewerb\n\n" +
    "Ich nenne immer meine Quellen und den Stand. Wenn ich etwas nicht sicher weiß, gebe ich Ihre Frage an das Team der Kreisverwaltung weiter. Die Antwort kommt dann hier in diesen Chat.",
  identity:
    "Ich bin ein Computerprogramm, kein Mensch: der Ortslotse der Kreisverwaltung Trier-Saarburg. Ich antworte aus dem Newsletter und den häufigen Fragen des Projekts „Hauptamt stärkt Ehrenamt“. Wenn Sie einen Menschen sprechen möchten, schreiben Sie einfach „Mensch“.",
  // "Wie geht's?" deserves a word back before the offer of help (user test: the bare list of topics felt cold).
  chitchat:
    "Schön, dass Sie schreiben – mir geht es gut! Für Witze und Plaudereien bin ich als Computerprogramm allerdings nicht gemacht. " +
    "Ich helfe Ihnen gern bei Fragen zu Förderprogrammen, Versicherungsschutz im Ehrenamt und Ihrem Amt. Was möchten Sie wissen?",
  thanks: "Gern geschehen! Fragen Sie jederzeit wieder.",
  goodbye: "Auf Wiedersehen und viel Erfolg in Ihrem Amt!",
  empty: "Ich habe keinen Text erhalten. Bitte schreiben Sie Ihre Frage als Nachricht, zum Beispiel: „Sind Helfer beim Dorffest versichert?“",
  tooLong:
    "Ihre Nachricht ist sehr lang. Ich habe nur den Anfang und das Ende gelesen. Für ausführliche Fälle gebe ich Ihre Nachricht gern an das Team weiter.",
  refuse: {
    abuse: "Ich merke, dass Sie verärgert sind. Ich helfe gern weiter, wenn Sie mir Ihre Frage sachlich schreiben. Wenn Sie lieber mit einem Menschen sprechen möchten, schreiben Sie „Mensch“.",
    injection: "Das kann ich nicht tun. Meine Regeln und Einstellungen kann ich nicht ändern oder zeigen. Ich beantworte gern Ihre Fragen zu Förderung, Versicherung und Ehrenamt im Landkreis Trier-Saarburg.",
    other_users: "Was andere Personen mich gefragt haben, bleibt vertraulich. Ich zeige nie Fragen oder Daten anderer Nutzerinnen und Nutzer. Ihre eigenen gespeicherten Daten können Sie mit „meine Daten“ abrufen.",
    private_data: "Über Gesundheit, Einkommen, Sozialleistungen, Schulden oder das Privatleben einzelner Menschen gebe ich keine Auskunft. Solche Angaben habe ich nicht, und sie sind besonders geschützt. Gern helfe ich bei allgemeinen Fragen, etwa welche Hilfen es für ältere oder kranke Menschen im Dorf gibt.",
    political: "Zu Parteien, Wahlen und Wahlkampf äußere ich mich nicht. Ich bin zur Neutralität verpflichtet. Gern helfe ich bei Fragen zu Förderung, Versicherung und Ihrem Amt.",
    illegal: "Dabei kann ich nicht helfen. Ich unterstütze nur bei Wegen, die Recht und Gesetz entsprechen. Bei schwierigen Fällen berät Sie Ihre Verbandsgemeindeverwaltung.",
  },
  handover: {
    /** What a Vorgang says when the person asked for a human without words and had asked nothing before. */
    requestWithoutWords: "Bitte um Rückmeldung durch das Team.",
    person_requested: "Gern verbinde ich Sie mit dem Team der Kreisverwaltung.",
    /** Under a wish for a person when the team has no number or address of this person yet. */
    askReach: "Damit das Team Sie zurückrufen kann: Schreiben Sie bitte Ihre Telefonnummer hier in den Chat.",
    individual_case: "Das ist ein Einzelfall, den ich nicht verbindlich beantworten kann. Ich habe Ihre Frage an das Team der Kreisverwaltung weitergegeben.",
    low_confidence: "Dazu finde ich in meinen Unterlagen keine sichere Antwort. Ich habe Ihre Frage an das Team der Kreisverwaltung weitergegeben.",
    not_covered: "Dazu steht nichts in meinen Unterlagen. Ich habe Ihre Frage an das Team der Kreisverwaltung weitergegeben.",
    /** The Förder-Finder's wider list follows: the knowledge has programmes, just none named for this purpose. */
    funding_check: "Ein Programm genau dafür finde ich in meinen Unterlagen nicht. Ich habe Ihre Frage an das Team der Kreisverwaltung weitergegeben.",
    /** The list was found from the project told before the question ("Wer fördert sowas?"): staff check it fits. */
    checkList: "Welches Programm zu Ihrem Vorhaben passt, prüft das Team der Kreisverwaltung. Ich habe Ihre Frage weitergegeben.",
    thumbs_down: "Danke für Ihre Rückmeldung. Ich habe Ihre Frage an das Team der Kreisverwaltung weitergegeben, damit sich ein Mensch darum kümmert.",
    llm_failure: "Ich kann Ihre Frage gerade nicht vollständig bearbeiten. Ich habe sie an das Team der Kreisverwaltung weitergegeben.",
    delivery_failed: "Ihre Frage wurde an das Team der Kreisverwaltung weitergegeben.",
    refusal_review: "Ihre Nachricht wurde an das Team der Kreisverwaltung weitergegeben.",
    // The number on a line of its own: after it, a full stop and the next sentence hid it (user test).
    ticketLine: (id: number) => `Ihre Vorgangsnummer: ${id}\nDie Antwort kommt hier in diesen Chat, meist innerhalb von zwei Werktagen.`,
    appended: (id: number) => `Ich habe das zu Ihrer offenen Anfrage Nr. ${id} hinzugefügt. Das Team sieht es dort.`,
    /** Beyond the cap of open Vorgänge a new matter joins the newest one: the mayor is told it is a new question there. */
    appendedCapped: (id: number, max: number) =>
      `Sie haben schon ${max} offene Anfragen. Ich habe Ihre Nachricht deshalb zu Anfrage Nr. ${id} gelegt – das Team sieht sie dort als weitere Frage und beantwortet sie mit.`,
    /** The question asks about another Land, Kreis or country the passages do not speak of (user test: Saarland, Hessen). */
    outsideScope: (places: string[]) =>
      `Meine Unterlagen gelten vor allem für Rheinland-Pfalz und den Kreis Trier-Saarburg. Zu ${places.map((p) => `„${p}“`).join(" und ")} steht das Gefragte nicht darin.`,
    otherOpen: (id: number) => `Ihre Anfrage Nr. ${id} bleibt daneben offen. Gehört Ihre Nachricht dazu, schreiben Sie „zu Nr. ${id}“ und den Text – dann hänge ich ihn dort an.`,

  },
  /** The line of a table the question's own figure falls in, before the whole table; the mayor's words quoted as typed. */
  tableRow: (asked: string, item: string) => `Zu „${asked}“ passt diese Zeile: ${item}.`,
  partlyHandedOver: (question: string, id: number) =>
    `Zu Ihrer Frage „${quoted(question)}“ finde ich keine sichere Antwort. Diese Frage habe ich an das Team der Kreisverwaltung weitergegeben.\nIhre Vorgangsnummer: ${id}\nDie Antwort kommt hier in diesen Chat.`,
  /** A second question in the same sentence that the text shown may not cover: to staff as well, to be safe. */
  partMaybeOpen: (question: string, id: number) =>
    `Ob der Text oben auch Ihre Frage „${quoted(question)}“ beantwortet, weiß ich nicht sicher. Ich habe sie zur Sicherheit an das Team der Kreisverwaltung weitergegeben.\nIhre Vorgangsnummer: ${id}\nDie Antwort kommt hier in diesen Chat.`,
  deadlinePassed: (dates: string[]) =>
    `Achtung: ${dates.length === 1 ? `Diese Frist ist vorbei (${dates[0]})` : `Diese Fristen sind vorbei (${dates.join(", ")})`}. Ob es einen neuen Termin gibt, steht nicht in meinen Unterlagen – bitte bei der genannten Stelle nachfragen.`,
  standLine: (stand: string) =>
    stand === "unklar"
      ? "Stand: unklar – die Quelle nennt kein sicheres Datum. Bitte lassen Sie sich Beträge und Fristen bei der genannten Stelle bestätigen."
      : `Stand: ${stand}. Angaben können sich ändern – Fristen und Beträge bitte bei der genannten Stelle prüfen.`,
  disclaimer: "Hinweis: Das ist keine Rechtsberatung. Verbindlich ist die Auskunft der zuständigen Stelle (z. B. Verbandsgemeindeverwaltung, Kreisverwaltung, je nach Thema Finanzamt oder Unfallkasse).",
  /**
   * Above the sources: an answer rests on them ("Quellen:"); under a hand-over they are entries that may help while
   * the mayor waits, not the answer (a user test read bare FAQ titles under "Quellen:" as if they answered).
   */
  sourcesHeading: (action: string) => (action === "answer" ? "Quellen:" : "Vielleicht hilft das schon (aus meinen Unterlagen, keine geprüfte Antwort):"),
  /** A button under another member's answer in a group. */
  notYourButton: "Diese Knöpfe gehören zur Frage einer anderen Person. Stellen Sie Ihre Frage gern selbst.",
  // The question in a few words: a mayor with several open numbers sees which one is meant. In a group the name
  // says whose it is (`forName`): "Ihre Anfrage" alone had no clear owner among thirty mayors.
  staffAnswer: (id: number, question: string, text: string, forName?: string) =>
    `Antwort des Teams${forName ? ` für ${forName}` : ""} zu ${forName ? "der" : "Ihrer"} Anfrage Nr. ${id} (${askedBriefly(question)}):\n\n${text}`,
  /** Staff closed a Vorgang without writing an answer here: the mayor is not left waiting. */
  closedWithoutAnswer: (id: number, question: string, forName?: string) =>
    `Das Team der Kreisverwaltung hat ${forName ? `die Anfrage Nr. ${id} von ${forName}` : `Ihre Anfrage Nr. ${id}`} (${askedBriefly(question)}) abgeschlossen, ohne hier zu antworten – meist ist sie auf anderem Weg geklärt, zum Beispiel am Telefon. Ist für Sie noch etwas offen, schreiben Sie einfach eine neue Nachricht.`,
  /**
   * A decline the intent model was not sure of: the message went to staff instead of being answered here. It does
   * not accuse: a third of these were real questions in unusual words ("Ein Helfer hat sich verletzt, wie melde ich das?").
   */
  refusalReview: (id: number) =>
    `Diese Nachricht kann ich nicht sicher einordnen und beantworte sie deshalb nicht selbst. Ich habe sie zur Prüfung an das Team der Kreisverwaltung gegeben.\nIhre Vorgangsnummer: ${id}\nDie Antwort kommt hier in diesen Chat.`,
  // Several in a row differ by the message they name (a command or button press is not quoted).
  rateLimited: (text: string) =>
    `Sie haben in kurzer Zeit sehr viele Nachrichten geschickt. ${text.startsWith("/") ? "Diese Nachricht" : `Ihre Nachricht ${askedBriefly(text)}`} habe ich deshalb nicht beantwortet. Bitte warten Sie eine Minute und schicken Sie sie dann noch einmal.`,
  notStored: (contact: string) =>
    `Entschuldigung, ich kann Ihre Frage gerade nicht speichern und deshalb nicht an das Team weitergeben. Bitte schicken Sie sie in einigen Minuten noch einmal oder wenden Sie sich direkt an: ${contact}`,
  error: "Entschuldigung, da ist bei mir etwas schiefgegangen. Ihre Frage ist gespeichert und geht an das Team der Kreisverwaltung.",
  notInvited: (contact: string) =>
    `Guten Tag! Der Ortslotse ist nur für freigeschaltete Ortsbürgermeisterinnen und Ortsbürgermeister da. Wenn Sie einen Einladungscode haben, senden Sie „/start CODE“. Einen Code erhalten Sie bei: ${contact}`,
  inviteInvalid: (contact: string) => `Dieser Einladungscode ist ungültig oder wurde schon benutzt. Einen neuen Code erhalten Sie bei: ${contact}`,
  privacy: {
    privateOnly: "Ihre persönlichen Daten zeige und lösche ich nur im Einzelchat. Bitte schreiben Sie mir dort.",
    deleteConfirm: "Soll ich alles löschen, was über Sie gespeichert ist (Fragen, Antworten, Vorgänge)? Das lässt sich nicht rückgängig machen. Zum Bestätigen schreiben Sie „/loeschen ja“.",
    // The same words in every channel (Telegram and Teams had their own).
    deleted: (n: number) =>
      n === 0
        ? "Erledigt. Es waren keine Fragen oder Vorgänge von Ihnen gespeichert."
        : n === 1
          ? "Erledigt: 1 gespeicherter Eintrag über Sie ist gelöscht."
          : `Erledigt: ${n} gespeicherte Einträge über Sie (Fragen, Antworten, Vorgänge) sind gelöscht.`,
  },
  funding: {
    // Who applies stands with what the money is for, before the colon (after it, it read as the list's first line).
    intro: (purposes: string, who: string) => `Für ${purposes}${who ? ` (Antrag: ${who})` : ""} kommen nach unseren Unterlagen diese Programme in Frage:`,
    broader: (purposes: string, field: string, who: string) =>
      `Ausdrücklich für ${purposes} nennt keines unserer Förderprogramme Geld. Für ${field}${who ? ` (Antrag: ${who})` : ""} kommen nach unseren Unterlagen in Frage:`,
    why: (purposes: string, who: string) => `Passt, weil: fördert ${purposes}${who ? `; Antrag stellen: ${who}` : ""}.`,
    rate: (r: string) => `Förderquote: ${r}`,
    amount: (a: string) => `Höhe: ${a}`,
    ownShare: (o: string) => `Eigenanteil: ${o}`,
    area: (a: string) => `Gebiet: ${a}`,
    condition: (c: string) => `Nur wenn: ${c}`,
    deadline: (d: string) => `Frist: ${d}`,
    contact: (c: string) => `Kontakt: ${c}`,
    unknown:
      `Was ich nicht weiß: ob Ihr Vorhaben im Einzelfall förderfähig ist und ob die Beträge noch gelten – das entscheidet der Geldgeber. Wenn Sie möchten, gebe ich Ihre Frage an das Team der Kreisverwaltung weiter: mit „${HANDOVER_BUTTON}“ unter dieser Antwort oder mit dem Wort „Mensch“ als Nachricht.`,
    askApplicant: "Wer soll den Antrag stellen? Dann kann ich die Liste eingrenzen:",
    more: (n: number, asking: boolean) =>
      `Dazu passen in unseren Unterlagen noch ${n === 1 ? "ein weiteres Programm" : `${n} weitere Programme`}.${asking ? "" : " Sagen Sie gern genauer, wofür das Geld sein soll – dann passt die Liste besser."}`,
    none: (purposes: string, who: string) => `Für ${purposes}${who ? ` (Antrag: ${who})` : ""} finde ich in unseren Unterlagen kein passendes Förderprogramm.`,
    noPending: "Ich weiß nicht mehr, wofür Sie Geld suchen. Bitte schreiben Sie Ihre Frage noch einmal, zum Beispiel: „Gibt es Geld für einen Dorftreff?“",
    deadlinesTitle: "Kommende Fristen aus unseren Förderprogrammen:",
    deadlinesNone: "In unseren Unterlagen steht derzeit keine kommende Antragsfrist.",
    applicantNote: (who: string) => `Antrag: ${who}`,
    /** A press of an applicant button, as staff read it in the conversation before a Vorgang. */
    applicantChosen: (who: string) => `„${who}“ gewählt`,
    listedDeadlinesTitle: "Die Fristen der eben genannten Programme:",
    listedDeadlinesNote: "Fristen ändern sich mit jedem Aufruf. Bitte vor dem Antrag beim Geldgeber bestätigen lassen.",
    deadlinesNote: "Viele Programme nennen keine feste Frist oder haben laufende Aufrufe. Fragen Sie einfach: „Gibt es Geld für …?“",
  },
  unsupported:
    "Ich kann bisher nur Textnachrichten lesen. Bitte schreiben Sie Ihre Frage als Text.",
};

/** Example questions offered as buttons (Telegram /themen, Teams „themen“), grouped by what mayors ask most. */
export const TOPIC_QUESTIONS = [
  "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?",
  "Was sind Ehrenamtliche Bürgerprojekte und wie viel Geld gibt es?",
  "Welche Rechtsform passt für einen Dorfladen?",
  "Wie viel Förderung gibt es für einen Bürgerbus?",
  "Wie hoch ist die Aufwandsentschädigung für Ortsbürgermeister?",
  "Muss ein Straßenfest beim Ordnungsamt angemeldet werden?",
] as const;
