import { describe, expect, it } from "vitest";
import { askedBriefly, MSG } from "../../src/core/messages.js";

describe("a team answer names the question it answers", () => {
  it("quotes a short question whole and cuts a long one at a word", () => {
    expect(askedBriefly("Wie hoch ist die Ehrenamtspauschale?")).toBe("„Wie hoch ist die Ehrenamtspauschale?“");
    expect(askedBriefly("Unser Zuschuss vom Land für den Dorfplatz ist immer noch nicht überwiesen, was ist da los?")).toBe("„Unser Zuschuss vom Land für den Dorfplatz ist immer noch …“");
    expect(askedBriefly("  zwei\n Zeilen  ")).toBe("„zwei Zeilen“");
  });

  it("in the staff answer and in the notice of a Vorgang closed without one", () => {
    expect(MSG.staffAnswer(7, "Wie hoch ist die Ehrenamtspauschale?", "960 Euro.")).toBe("Antwort des Teams zu Ihrer Anfrage Nr. 7 („Wie hoch ist die Ehrenamtspauschale?“):\n\n960 Euro.");
    // In a group the name says whose question it was.
    expect(MSG.staffAnswer(7, "Wie hoch ist die Ehrenamtspauschale?", "960 Euro.", "Monika Thiel")).toBe("Antwort des Teams für Monika Thiel zu der Anfrage Nr. 7 („Wie hoch ist die Ehrenamtspauschale?“):\n\n960 Euro.");
    expect(MSG.closedWithoutAnswer(7, "Wie hoch ist die Ehrenamtspauschale?", "Monika Thiel")).toMatch(/^Das Team der Kreisverwaltung hat die Anfrage Nr\. 7 von Monika Thiel \(/);
    expect(MSG.closedWithoutAnswer(7, "Rückruf bitte")).toContain("Ihre Anfrage Nr. 7 („Rückruf bitte“) abgeschlossen");
  });
});
