/** Privacy note shown by /datenschutz in every channel (plain text; channels may format it). */
export const PRIVACY_TEXT = `Datenschutz beim Ortslotsen

Verantwortlich: Kreisverwaltung Trier-Saarburg, Projekt „Hauptamt stärkt Ehrenamt“ (Leitstelle Familie).

Was gespeichert wird: Ihre Fragen, die Antworten des Ortslotsen, Ihre Rückmeldungen (👍/👎) und – wenn Ihre Frage an das Team geht – ein Vorgang mit Ihrem Anzeigenamen, der Frage und dem Gesprächsverlauf. Für Antworten des Teams und den Wochenüberblick speichern wir, in welchen Chat wir schreiben dürfen.

Wer es sieht: Nur das Team der Kreisverwaltung, und nur weitergegebene Fragen sowie anonyme Statistiken. Andere Nutzerinnen und Nutzer sehen Ihre Fragen nie.

Wie lange: Gespräche und erledigte Vorgänge werden nach der eingestellten Frist (Standard 180 Tage) automatisch gelöscht.

KI-Dienst: Standardmäßig arbeitet der Ortslotse ohne externen KI-Dienst. Ist ein Sprachmodell eingerichtet, gehen nur die Frage und passende Auszüge aus der Wissensbasis dorthin; Telefonnummern, E-Mail-Adressen und IBANs werden vorher entfernt. Ist die Umwandlung von Sprachnachrichten eingerichtet, geht die Aufnahme zur Umwandlung in Text an diesen Dienst; ohne diese Einstellung werden Sprachnachrichten nicht verarbeitet.

Ihre Rechte: Mit „/meine_daten“ sehen Sie, was über Sie gespeichert ist; mit „/loeschen“ löschen Sie es. Fragen zum Datenschutz richten Sie an die Kreisverwaltung Trier-Saarburg.`;
