import { describe, expect, it } from "vitest";
import { loadLanguageData } from "../../src/language/resources.js";
import { normalisePlaceText, Places } from "../../src/language/places.js";

const places = new Places(loadLanguageData().places);
const names = (t: string) => places.find(t).map((p) => p.name);
const padded = (t: string) => ` ${normalisePlaceText(t)} `;

describe("places (language/places.yaml)", () => {
  it("holds the county's 104 Gemeinden in six Verbandsgemeinden", () => {
    const data = loadLanguageData().places;
    expect(data.verbandsgemeinden).toHaveLength(6);
    expect(data.verbandsgemeinden.reduce((a, v) => a + v.gemeinden.length, 0)).toBe(104);
  });

  it("splits a merged Verbandsgemeinde's Gemeinden exactly into its former areas", () => {
    for (const vg of loadLanguageData().places.verbandsgemeinden.filter((v) => v.former)) {
      expect(vg.former!.flatMap((f) => f.gemeinden).sort()).toEqual([...vg.gemeinden].sort());
    }
  });

  it.each([
    ["Gehört Mertesdorf zur LEADER-Region Erbeskopf?", ["Mertesdorf"]],
    ["Gibt es die Gemeindeschwester plus in der VG Ruwer?", ["VG Ruwer"]],
    ["gibts die auch in der vg trier land", ["VG Trier-Land"]],
    ["Wir sind aus Naurath/Eifel.", ["Naurath (Eifel)"]],
    ["Unser Dorf liegt in Schoendorf", ["Schöndorf"]],
    ["Gilt das auch in Luxemburg?", ["Luxemburg"]],
    ["Wir wohnen in Fell und wollen einen Dorfladen.", ["Fell"]],
    ["Wie hoch ist die Aufwandsentschädigung in Baden Württemberg?", ["Baden-Württemberg"]],
    ["Gilt die saarländische Ehrenamtskarte auch bei uns?", ["Saarland"]],
    ["Gilt die Versicherung auch im Ausland?", ["Ausland"]],
  ])("%s → %j", (q, want) => {
    expect(names(q)).toEqual(want);
  });

  it("marks places outside the county, and a passage using the adjective speaks of the Land", () => {
    expect(places.find("Gibt es das in Hessen und in Mertesdorf?").map((p) => [p.name, p.outside ?? false])).toEqual([["Mertesdorf", false], ["Hessen", true]]);
    const [saarland] = places.find("im Saarland");
    expect(Places.mentions(saarland, padded("Die saarländische Regelung ist anders."))).toBe(true);
    expect(Places.mentions(saarland, padded("In Rheinland-Pfalz gilt das nicht."))).toBe(false);
  });

  it.each([
    ["Unsere Seniorengruppe macht einen Ausflug nach Luxemburg. Sind sie versichert?", []],
    ["Ich arbeite in Luxemburg. Bekomme ich Verdienstausfall?", []],
    ["Ich bin aus Bayern hergezogen. Wie lange ist die Amtszeit?", []],
    ["Mein Schwager wohnt in Luxemburg. Gibt es in Luxemburg auch eine Ehrenamtspauschale?", ["Luxemburg"]],
    ["Wie hoch ist die Aufwandsentschädigung im Saarland?", ["Saarland"]],
  ])("an outside place counts only where the question asks about it: %s → %j", (q, want) => {
    expect(names(q)).toEqual(want);
  });

  it.each([
    "Wie viele Einwohner hat der Kreis Trier-Saarburg?",
    "Die Stiftung „Zukunft in Trier-Saarburg“ fördert Vereine.",
    "Der Bescheid der Unfallkasse kam gestern.",
    "Das Fell vom Hund ist nass, hohe Wellen am See.",
    "Wie hoch ist die Ehrenamtspauschale?",
  ])("names no place: %s", (q) => {
    expect(names(q)).toEqual([]);
  });

  it("a passage about a Gemeinde's Verbandsgemeinde speaks of the Gemeinde too", () => {
    const [mertesdorf] = places.find("in Mertesdorf");
    expect(Places.mentions(mertesdorf, padded("Die VG Ruwer gehört teilweise zur LAG Erbeskopf."))).toBe(true);
    expect(Places.mentions(mertesdorf, padded("Föhren und Naurath (Eifel) gehören zur LAG Mosel."))).toBe(false);
  });

  describe("a place in the area of a former Verbandsgemeinde (Saarburg-Kell since 2019)", () => {
    const moselfranken = padded("Orte der VG Konz gehören zur LAG Moselfranken – ebenso das Gebiet der früheren VG Saarburg (heute Teil der VG Saarburg-Kell).");
    const erbeskopf = padded("Erbeskopf – u. a. VG Hermeskeil, das ehemalige VG-Gebiet Kell am See und Teile der VG Ruwer.");
    const today = padded("Die VG Saarburg-Kell hat 29 Gemeinden.");
    const place = (q: string) => places.find(q)[0];

    it.each([
      ["in Zerf", [false, true, true]],
      ["in Kell", [false, true, true]],
      ["in Ayl", [true, false, true]],
      ["in der VG Kell am See", [false, true, true]],
      ["in der VG Saarburg", [true, false, true]],
    ])("%s: spoken of by [Moselfranken, Erbeskopf, today's VG] = %j", (q, want) => {
      expect([moselfranken, erbeskopf, today].map((t) => Places.mentions(place(q), t))).toEqual(want);
    });

    it("today's VG is not read as a former one's name", () => {
      expect(names("Wir sind in der VG Saarburg-Kell")).toEqual(["VG Saarburg-Kell"]);
      expect(names("früher VG Saarburg")).toEqual(["VG Saarburg (bis 2018)"]);
    });
  });
});
