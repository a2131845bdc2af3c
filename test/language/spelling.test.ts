import { describe, expect, it } from "vitest";
import { correctTypos, correctWord, editScript, SlipModel, stemPrefixes, withinEdits } from "../../src/language/spelling.js";
import { loadLanguageData } from "../../src/language/resources.js";
import { stem } from "../../src/retrieval/german-text.js";

const vocabulary = (...ws: string[]) => {
  const known = new Set(ws.map((w) => stem(w.toLowerCase())));
  return (t: string) => known.has(t);
};
const knows = vocabulary("Übungsleiterpauschale", "Ehrenamtskarte", "Dorfmoderation", "Förderbank", "Förderband", "Mitten", "Sammelversicherung", "Straßenausbau");

describe("typing errors in words the knowledge knows", () => {
  it("adds a missing letter, keeping umlaut and capital as typed", () => {
    expect(correctWord("Übungsleiterpauschle", { knows })).toBe("Übungsleiterpauschale");
    expect(correctWord("Dorfmoderaton", { knows })).toBe("Dorfmoderation");
  });

  it("swaps two neighbouring letters back", () => {
    expect(correctWord("ehrenamstkarte", { knows })).toBe("ehrenamtskarte");
  });

  it("removes a doubled letter and replaces a wrong one", () => {
    expect(correctWord("Sammelverssicherung", { knows })).toBe("Sammelversicherung");
    expect(correctWord("Sammelversichetung", { knows })).toBe("Sammelversicherung");
  });

  it("maps positions through umlauts typed as ae/oe/ue and through ß", () => {
    expect(correctWord("uebungsleiterpauschle", { knows })).toBe("uebungsleiterpauschale");
    expect(correctWord("Straßenausbu", { knows })).toBe("Straßenausbau");
  });

  it("leaves known, short, ambiguous and protected words alone", () => {
    expect(correctWord("Ehrenamtskarte", { knows })).toBeUndefined();
    // One letter from a known word, but short stems have real neighbours: "Mieten" is not "Mitten".
    expect(correctWord("Mieten", { knows })).toBeUndefined();
    // Förderbank and Förderband are both one letter away: which one the mayor meant is not clear.
    expect(correctWord("Förderbanf", { knows })).toBeUndefined();
    expect(correctWord("Dorfmoderaton", { knows, keep: (w) => w === "dorfmoderaton" })).toBeUndefined();
    // "vergesen" lacks a letter of the knowledge's "vergessen", but is also one letter from "vergeben", a word
    // people write: not clear.
    expect(correctWord("vergesen", { knows: vocabulary("vergessen") })).toBe("vergessen");
    expect(correctWord("vergesen", { knows: vocabulary("vergessen"), common: (t) => t === stem("vergeben") })).toBeUndefined();
    // A word people write is not a typo of a knowledge word one letter away.
    expect(correctWord("überwiesen", { knows: vocabulary("überweisen") })).toBe("überweisen");
    expect(correctWord("überwiesen", { knows: vocabulary("überweisen"), common: (t) => t === stem("überwiesen") })).toBeUndefined();
    // Over 40 letters is no word (a pasted run of letters): left as typed, not tried edit by edit.
    const run = "dorfgemeinschaftshausrenovierungsfoerderprogramm";
    expect(correctWord(run.slice(0, 20) + run.slice(21), { knows: vocabulary(run) })).toBeUndefined();
    expect(correctWord("dorfgemeinschaftshausrenovierng", { knows: vocabulary("dorfgemeinschaftshausrenovierung") })).toBe("dorfgemeinschaftshausrenovierung");
    // Two errors are corrected only with the vocabulary to compare with, and only in long words.
    expect(correctWord("Dorfmodraton", { knows })).toBeUndefined();
  });

  it("finds typos in a word's ending that the stem hides", () => {
    const k = vocabulary("Aufwandsentschädigung", "Versicherung");
    // The stemmer cuts "-ung" but not "-ng": the stem is two letters off, the word one.
    expect(correctWord("aufwandsentschädigng", { knows: k })).toBe("aufwandsentschädigung");
    expect(correctWord("Versicherunng", { knows: k })).toBe("Versicherung");
    // When another ending edit ("-igg", taken here as a word people write) reaches a common word, it is not clear.
    expect(correctWord("aufwandsentschädigng", { knows: k, common: (t) => t === stem("aufwandsentschädigg") })).toBeUndefined();
  });

  it("corrects two errors in a long word when exactly one known word is that close", () => {
    const terms = ["Übungsleiterpauschale", "Ehrenamtskarte", "Dorfmoderation", "Förderbank", "Förderband", "Mitten"].map((w) => stem(w.toLowerCase()));
    const opts = { knows, vocabulary: () => terms };
    expect(correctWord("Dorfmodraton", opts)).toBe("Dorfmoderation");
    expect(correctWord("übungsleiterpauchsale", opts)).toBe("übungsleiterpauschale");
    expect(correctWord("uebungsleitrpauschle", opts)).toBe("uebungsleiterpauschale");
    // Short words: two letters away is another word, not a typo ("Färberbank" is not "Förderbank").
    expect(correctWord("Färberbank", opts)).toBeUndefined();
    // Two known words within two errors, or a common word as close: not clear.
    expect(correctWord("Dorfmodraton", { ...opts, vocabulary: () => [...terms, stem("dorfmoderator")] })).toBeUndefined();
    expect(correctWord("Dorfmodraton", { ...opts, commonVocabulary: () => ["dorfmodration"] })).toBeUndefined();
  });

  it("corrects inside a message and says what it changed", () => {
    const r = correctTypos("Wer bekommt die ehrenamstkarte? Und gibt's Geld für die Dorfmoderaton!", { knows });
    expect(r.text).toBe("Wer bekommt die ehrenamtskarte? Und gibt's Geld für die Dorfmoderation!");
    expect(r.corrections).toEqual([{ from: "ehrenamstkarte", to: "ehrenamtskarte" }, { from: "Dorfmoderaton", to: "Dorfmoderation" }]);
  });

  it("gives the same corrections from its cache of words already seen", () => {
    const cache = new Map<string, string | null>();
    const text = "Wer bekommt die ehrenamstkarte? Und die Dorfmoderaton?";
    const first = correctTypos(text, { knows }, cache);
    expect(cache.get("ehrenamstkarte")).toBe("ehrenamtskarte");
    expect(cache.get("bekommt")).toBeNull();
    expect(correctTypos(text, { knows: () => false }, cache)).toEqual(first);
  });
});

describe("only slips are corrected (language/spelling.yaml)", () => {
  const data = loadLanguageData().spelling;
  const slips = new SlipModel(data);

  it("holds one letter per side of each sound-alike pair, and endings in lower case", () => {
    for (const pair of data.sound_alike) expect(pair.every((c) => /^\p{Ll}$/u.test(c))).toBe(true);
    for (const e of data.inflection_endings) expect(e).toMatch(/^[a-z]+$/);
  });

  it("reads neighbouring keys, sound-alikes and letters no German keyboard has as slips", () => {
    const k = vocabulary("Ehrenamtskarte", "Sammelversicherung", "Umsatz", "Bürgerbus");
    expect(correctWord("Sammelversichetung", { knows: k, slips })).toBe("Sammelversicherung"); // t next to r
    expect(correctWord("Ehrenamtskarde", { knows: k, slips })).toBe("Ehrenamtskarte"); // d sounds like t
    expect(correctWord("Bürjerbus", { knows: k, slips })).toBe("Bürgerbus"); // Platt j for g
    expect(correctWord("Ómsatz", { knows: k, slips })).toBe("Umsatz");
  });

  it("leaves real words one letter from a known word alone", () => {
    const k = vocabulary("Gestaltung", "Verzichten", "Rechtsform", "Gruppe");
    // t for l, n for z, n for f: no slip of the finger or the ear.
    expect(correctWord("Gestattung", { knows: k, slips })).toBeUndefined();
    expect(correctWord("vernichten", { knows: k, slips })).toBeUndefined();
    expect(correctWord("Rechtsnorm", { knows: k, slips })).toBeUndefined();
  });

  it("finds a letter left out of the ending that the stem shows as a different letter", () => {
    const k = vocabulary("Dorfladen");
    // Stem "dorfladn" is one extra "n" from "dorflad"; the slip is the "e" left out.
    expect(correctWord("dorfladn", { knows: k, slips })).toBe("dorfladen");
    // A known stem plus a regular ending is a form, not a typo.
    expect(correctWord("veranstaltet", { knows: vocabulary("Veranstaltest"), slips })).toBeUndefined();
  });
});

describe("the quick distance check", () => {
  it("agrees with the full edit script on random near and far pairs", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const word = (n: number) => Array.from({ length: n }, () => "abcdeüß"[Math.floor(rnd() * 7)]).join("");
    let near = 0;
    for (let k = 0; k < 3000; k++) {
      const a = word(5 + Math.floor(rnd() * 10));
      // Mostly small changes of a (swaps, drops, replacements), sometimes an unrelated word.
      let b = a;
      for (let e = Math.floor(rnd() * 4); e > 0; e--) {
        const i = Math.floor(rnd() * b.length);
        const op = Math.floor(rnd() * 3);
        b = op === 0 ? b.slice(0, i) + b.slice(i + 1) : op === 1 ? b.slice(0, i) + word(1) + b.slice(i + 1) : b.slice(0, i) + b[i + 1 === b.length ? i : i + 1] + b[i] + b.slice(i + 2);
      }
      if (rnd() < 0.1) b = word(a.length);
      const d = editScript(a, b).distance;
      if (d <= 2) near++;
      for (const max of [1, 2]) expect(withinEdits(a, b, max), `${a} ${b} ${d}`).toBe(d <= max);
    }
    expect(near).toBeGreaterThan(500);
  });
});

describe("the check on a word's first letters", () => {
  it("skips ending tries without changing a single correction", () => {
    const slips = new SlipModel(loadLanguageData().spelling);
    const words = ["Übungsleiterpauschale", "Straßenausbau", "Größenordnung", "Maßnahmenbeginn", "Aufwandsentschädigung", "Ehrenamtskarte",
      "Gemeindeschwester", "Ortsbürgermeisterin", "Sammelversicherung", "Dorfmoderation", "Äußerung", "Ölheizung"];
    const stems = words.map((w) => stem(w.toLowerCase()));
    const known = new Set(stems);
    const common = new Set(["gemeinde", "verein", "ortsburgermeist"].map(stem));
    const prefixes = stemPrefixes(known, common);
    let skipped = 0;
    const stemStarts = (p: string) => prefixes.has(p) || (skipped++, false);
    const base = { knows: (t: string) => known.has(t), common: (t: string) => common.has(t), slips, vocabulary: () => known, commonVocabulary: () => common };
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const letters = "abcdefghijklmnopqrstuvwxyzäöüß";
    let corrected = 0;
    for (let k = 0; k < 1200; k++) {
      let w = words[Math.floor(rnd() * words.length)].toLowerCase();
      if (rnd() < 0.3) w = w.replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue");
      // One or two slips, mostly near the end where the stemmer hides them; sometimes an unrelated word.
      for (let e = 1 + Math.floor(rnd() * 2); e > 0; e--) {
        const i = rnd() < 0.6 ? w.length - 1 - Math.floor(rnd() * 4) : Math.floor(rnd() * w.length);
        const c = letters[Math.floor(rnd() * letters.length)];
        const op = Math.floor(rnd() * 3);
        w = op === 0 ? w.slice(0, i) + w.slice(i + 1) : op === 1 ? w.slice(0, i) + c + w.slice(i + 1) : w.slice(0, i) + c + w.slice(i);
      }
      if (rnd() < 0.15) w = Array.from({ length: 8 + Math.floor(rnd() * 8) }, () => letters[Math.floor(rnd() * letters.length)]).join("");
      const plain = correctWord(w, base);
      expect(correctWord(w, { ...base, stemStarts }), w).toBe(plain);
      if (plain) corrected++;
    }
    expect(corrected).toBeGreaterThan(150);
    expect(skipped).toBeGreaterThan(30);
  });
});
