/** Teams has no slash commands for bots: the same commands as on Telegram, as words (a leading "/" is fine). */
export type Command =
  | { kind: "start" }
  | { kind: "help" }
  | { kind: "topics" }
  | { kind: "human" }
  | { kind: "privacy" }
  | { kind: "digest"; arg: string }
  | { kind: "myData" }
  | { kind: "delete" }
  | { kind: "staffRegister" }
  | { kind: "staffUnregister" };

export function parseCommand(text: string): Command | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/^\//, "")
    .replace(/[.!?\s]+$/, "")
    .replace(/[\s_-]+/g, " ");
  if (t === "start") return { kind: "start" };
  if (t === "hilfe" || t === "help") return { kind: "help" };
  if (t === "themen") return { kind: "topics" };
  if (t === "mensch") return { kind: "human" };
  if (t === "datenschutz") return { kind: "privacy" };
  const digest = /^(digest|wochenüberblick)(?: (.*))?$/.exec(t);
  if (digest) return { kind: "digest", arg: digest[2] ?? "" };
  if (t === "meine daten") return { kind: "myData" };
  if (t === "löschen" || t === "loeschen") return { kind: "delete" };
  if (t === "staff registrieren") return { kind: "staffRegister" };
  if (t === "staff abmelden") return { kind: "staffUnregister" };
  return undefined;
}

/** Command list for the help text and the app manifest (titles ≤ 32, descriptions ≤ 128 characters). */
export const COMMANDS = {
  personal: [
    { title: "hilfe", description: "So funktioniert der Ortslotse" },
    { title: "themen", description: "Zu welchen Themen ich antworte" },
    { title: "mensch", description: "Ihre Frage an das Team der Kreisverwaltung geben" },
    { title: "digest an", description: "Wochenüberblick einschalten (digest aus: ausschalten)" },
    { title: "datenschutz", description: "Was gespeichert wird und wie lange" },
    { title: "meine daten", description: "Zeigt, was über Sie gespeichert ist" },
    { title: "löschen", description: "Löscht Ihre gespeicherten Fragen" },
  ],
  group: [
    { title: "hilfe", description: "So funktioniert der Ortslotse" },
    { title: "themen", description: "Zu welchen Themen ich antworte" },
    { title: "mensch", description: "Die letzte Frage an das Team der Kreisverwaltung geben" },
    { title: "digest an", description: "Wochenüberblick für diesen Chat einschalten" },
    { title: "digest aus", description: "Wochenüberblick für diesen Chat ausschalten" },
    { title: "datenschutz", description: "Was gespeichert wird und wie lange" },
    { title: "staff registrieren", description: "Nur Team: neue Vorgänge in diesem Kanal anzeigen" },
  ],
} as const;
