import { describe, expect, it } from "vitest";
import { stem, terms } from "../../src/retrieval/german-text.js";

// The built index stores these stems: a stemmer that cuts differently needs a new index format (CHUNK_FORMAT),
// so a library change must keep every one of them.
const STEMS: Record<string, string> = {
  "2027": "2027",
  Förderungen: "forder",
  Dorfläden: "dorflad",
  Dorflaeden: "dorflad",
  Ehrenamtskarte: "ehrenamtskart",
  Versicherungsschutz: "versicherungsschutz",
  Straße: "strass",
  Strasse: "strass",
  Bürgermeisterinnen: "burgermeisterinn",
  fuer: "fur",
  gefördert: "gefordert",
  Kirmes: "kirm",
  Veranstaltungen: "veranstalt",
  Zuschüsse: "zuschuss",
  Maßnahme: "massnahm",
  Gemeinden: "gemeind",
  bauen: "bau",
  Vereinsheim: "vereinsheim",
  Übungsleiterpauschale: "ubungsleiterpauschal",
  Haftpflichtversicherung: "haftpflichtversicher",
};

describe("German stems", () => {
  it.each(Object.entries(STEMS))("%s → %s", (word, expected) => {
    expect(stem(word.toLowerCase())).toBe(expected);
  });

  it("typed transcriptions and umlauts meet on one stem, stop words drop out", () => {
    expect(terms("Gibt es Zuschüsse für Dorfläden?")).toEqual(terms("gibt es zuschuesse für dorflaeden"));
    expect(terms("Wer ist für die Straße zuständig?")).not.toContain("fur");
  });
});
