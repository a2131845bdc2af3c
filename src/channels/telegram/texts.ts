import { MSG } from "../../core/messages.js";

/**
 * What the Telegram channel says on its own (commands, hints, staff chat). German, Sie-form, short
 * sentences; the core's answers come from src/core/messages.ts.
 */

/** Registered with setMyCommands at start; the order is the order of Telegram's command menu. */
export const COMMANDS = [
  { command: "start", description: "Begrüßung und kurze Anleitung" },
  { command: "hilfe", description: "Was der Ortslotse kann" },
  { command: "themen", description: "Themen mit Beispielfragen" },
  { command: "frage", description: "Eine Frage stellen (in Gruppen)" },
  { command: "fristen", description: "Kommende Fristen der Förderprogramme" },
  { command: "mensch", description: "Anliegen an das Team der Kreisverwaltung geben" },
  { command: "digest", description: "Wochenüberblick an oder aus" },
  { command: "datenschutz", description: "Hinweise zum Datenschutz" },
  { command: "meine_daten", description: "Gespeicherte Daten über mich anzeigen" },
  { command: "loeschen", description: "Meine gespeicherten Daten löschen" },
] as const;

/** Commands shown in groups: the personal-data commands work only in the private chat. */
export const GROUP_COMMANDS = COMMANDS.filter((c) => !["meine_daten", "loeschen"].includes(c.command));

/** Example questions for /themen: the same in every channel (core). */
export { TOPIC_QUESTIONS } from "../../core/messages.js";

export const T = {
  /** Above the second and later parts of a message longer than Telegram allows. */
  continued: (part: number, of: number) => `Fortsetzung (Teil ${part} von ${of})`,
  welcome: (voice: boolean) =>
    `${MSG.greeting}\n\n` +
    "So geht es:\n" +
    `• Schreiben Sie Ihre Frage einfach als Nachricht${voice ? " oder sprechen Sie sie ein" : ""}. Ich nenne Quellen und Stand.\n` +
    "• /themen zeigt Beispielfragen.\n" +
    "• /mensch gibt Ihr Anliegen an das Team der Kreisverwaltung. Die Antwort kommt hier in diesen Chat.\n\n" +
    "Gut zu wissen: Fragen, die ich an das Team weitergebe, lesen dort Mitarbeiterinnen und Mitarbeiter der Kreisverwaltung. " +
    "Bitte schreiben Sie keine Daten von Bürgerinnen und Bürgern in den Chat.\n\n" +
    "Datenschutz: /datenschutz",
  welcomeGroup: (username: string) =>
    "Guten Tag! Ich bin der Ortslotse der Kreisverwaltung Trier-Saarburg.\n\n" +
    `In dieser Gruppe antworte ich, wenn Sie mich mit @${username} erwähnen, auf eine meiner Nachrichten antworten oder „/frage“ vor Ihre Frage schreiben.\n\n` +
    "Weitergegebene Fragen liest das Team der Kreisverwaltung. Datenschutz: /datenschutz",
  help:
    `${MSG.capabilities}\n\n` +
    "Befehle:\n" +
    "/themen – Beispielfragen\n" +
    "/frage – eine Frage stellen (in Gruppen)\n" +
    "/fristen – kommende Fristen der Förderprogramme\n" +
    "/mensch – Anliegen an das Team geben\n" +
    "/digest – Wochenüberblick an oder aus\n" +
    "/datenschutz – Hinweise zum Datenschutz\n" +
    "/meine_daten – was über Sie gespeichert ist\n" +
    "/loeschen – Ihre Daten löschen",
  topics: "Wählen Sie eine Beispielfrage oder schreiben Sie Ihre eigene Frage:",
  askedQuestion: (q: string) => `Ihre Frage: „${q}“`,
  chosen: (label: string) => `Ihre Auswahl: ${label}`,
  // The mayor must not think the team got the file: a PDF "zum Drüberschauen" went nowhere (user test).
  captionOnly: "Das Bild oder die Datei selbst kann ich nicht ansehen und auch nicht an das Team weitergeben. Ich antworte auf Ihren Text dazu:",
  /** On the Vorgang, for staff: the mayor sent a file the bot did not pass on. */
  fileNotPassedOn: (what: string) => `Mit der Frage kam ${what}. Der Ortslotse gibt Dateien nicht weiter; wird sie gebraucht, bitte die Person darum bitten (z. B. per E-Mail).`,
  frageUsage: "Bitte schreiben Sie Ihre Frage hinter /frage, zum Beispiel: /frage Sind Helfer beim Dorffest versichert?",
  unknownCommand: "Diesen Befehl kenne ich nicht. Schreiben Sie Ihre Frage einfach als Nachricht. Alle Befehle zeigt /hilfe.",
  canHandle: (voice: boolean) =>
    voice
      ? "Ich verstehe Textnachrichten und Sprachnachrichten. Bitte schreiben oder sprechen Sie Ihre Frage."
      : "Ich verstehe Textnachrichten. Bitte schreiben Sie Ihre Frage als Text.",
  unsupported: {
    photo: "Fotos kann ich leider nicht ansehen.",
    sticker: "Danke für den Sticker! Sticker kann ich leider nicht deuten.",
    animation: "GIFs kann ich leider nicht ansehen.",
    document: "Dateien kann ich leider nicht öffnen.",
    location: "Standorte kann ich leider nicht auswerten.",
    venue: "Orte kann ich leider nicht auswerten.",
    video: "Videos kann ich leider nicht ansehen.",
    video_note: "Videonachrichten kann ich leider nicht ansehen.",
    audio: "Audiodateien kann ich leider nicht anhören.",
    voice: "Sprachnachrichten kann ich leider noch nicht anhören.",
    contact: "Kontakte kann ich nicht verarbeiten.",
    poll: "Umfragen kann ich nicht auswerten.",
    dice: "Würfeln kann ich leider nicht.",
    other: "Diese Art von Nachricht kann ich leider nicht verarbeiten.",
  } as Record<string, string>,
  voiceTooLong: "Ihre Sprachnachricht ist zu lang. Bitte sprechen Sie höchstens fünf Minuten oder schreiben Sie Ihre Frage.",
  voiceFailed: "Ich konnte Ihre Sprachnachricht leider nicht verstehen. Bitte schreiben Sie Ihre Frage als Text.",
  transcript: (t: string) => `Verstanden: „${t}“`,
  buttonExpired: "Diese Schaltfläche gilt nicht mehr.",
  turnNotFound: "Diese Antwort kann ich nicht mehr zuordnen. Schreiben Sie Ihre Frage gern noch einmal.",
  privateOnly: (cmd: string) => `Ihre persönlichen Daten zeige und lösche ich nur im privaten Chat. Bitte schreiben Sie mir dort ${cmd}.`,
  deleteConfirm:
    "Möchten Sie alle gespeicherten Fragen, Antworten und Vorgänge von Ihnen löschen? Das kann nicht rückgängig gemacht werden.",
  deleteCancelled: "Gut, ich habe nichts gelöscht.",
  noData: "Über Sie sind keine Fragen und keine Vorgänge gespeichert.",
  dataFileCaption: "Alle gespeicherten Daten zu Ihnen als Datei (JSON).",
  digestAdminCheckFailed: "Ich konnte nicht prüfen, ob Sie die Gruppe verwalten. Bitte versuchen Sie es später noch einmal.",
  error: "Entschuldigung, da ist bei mir etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal.",

  staff: {
    help:
      "Das ist der Team-Chat des Ortslotsen.\n\n" +
      "• Jede weitergegebene Frage erscheint hier als eigene Nachricht.\n" +
      "• „Übernehmen“ zeigt den anderen, dass Sie sich kümmern. „Erledigt“ schließt den Vorgang.\n" +
      "• Zum Antworten tippen Sie auf „Antworten“ an der Vorgangs-Nachricht und schreiben Ihre Antwort. Ich schicke sie der Ortsbürgermeisterin oder dem Ortsbürgermeister.\n" +
      "• Andere Nachrichten in diesem Chat lese ich nicht.",
    notStaff: "Das dürfen nur Mitglieder des Team-Chats.",
    notFound: "Zu dieser Nachricht finde ich keinen Vorgang. Bitte antworten Sie direkt auf die Vorgangs-Nachricht.",
    erased: "Dieser Vorgang wurde auf Wunsch der Person gelöscht. Ihre Antwort wurde nicht verschickt.",
    textOnly: "Bitte antworten Sie mit Text. Bilder und Dateien kann ich nicht weiterleiten.",
    delivered: (id: number, name: string) => `Antwort zu Vorgang Nr. ${id} an ${name} zugestellt.`,
    notDelivered: (id: number, error: string) => `Antwort zu Vorgang Nr. ${id} konnte nicht zugestellt werden: ${error}. Der Vorgang bleibt offen.`,
    claimed: (id: number, name: string) => `Vorgang Nr. ${id} übernommen von ${name}.`,
    alreadyClaimed: (id: number, name?: string) => `Vorgang Nr. ${id} ist schon übernommen${name ? ` von ${name}` : ""}.`,
    closed: (id: number, name: string) => `Vorgang Nr. ${id} erledigt (${name}).`,
    alreadyClosed: (id: number) => `Vorgang Nr. ${id} ist bereits erledigt.`,
    ticketGone: (id: number) => `Vorgang Nr. ${id} gibt es nicht mehr.`,
    replyToPost: "Das ist eine Bestätigung, kein Vorgang – nichts wurde weitergegeben. Soll die Person etwas erfahren, antworten Sie bitte auf die Vorgangs-Nachricht.",
    closedNoAnswer: (id: number) => `Vorgang Nr. ${id} ist erledigt – Ihre Nachricht wurde nicht weitergegeben. An einen erledigten Vorgang geht keine Antwort mehr; die Person kann jederzeit neu fragen.`,
  },
};

/**
 * The bot's confirmations in the staff chat (the texts above: zugestellt, übernommen, erledigt …). A reply to one of
 * them is a colleague's remark ("ok danke"), not an answer for the mayor.
 */
export function isStaffConfirmation(text: string): boolean {
  return /^(Antwort zu Vorgang Nr\. \d+ (an .+ zugestellt|konnte nicht zugestellt werden)|Vorgang Nr\. \d+ (übernommen von|ist schon übernommen|erledigt \(|ist bereits erledigt|gibt es nicht mehr|ist erledigt – ))/.test(text)
    || text === T.staff.replyToPost || text === T.staff.erased;
}
