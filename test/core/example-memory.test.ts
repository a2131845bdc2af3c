import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLES_FILE, ExampleMemory, PHRASING_PREFIX, type ExamplesFile } from "../../src/core/example-memory.js";
import { countAbsentTerms } from "../../src/eval/calibration.js";
import { CALIBRATION_FILES, HOLDOUT_FILE, readItems } from "../../src/eval/dataset.js";
import { terms } from "../../src/retrieval/german-text.js";
import { CALIBRATION_FILE, ConfidenceModel, FEATURES, type CalibrationFile, type Features } from "../../src/core/confidence-model.js";

const memory = new ExampleMemory([
  { id: "a1", text: "Wie viel hat die Provinzial-Stiftung 2025 an Vereine verteilt?", right: [], wrong: ["nl-2026-06", "faq-provinzial-stiftung"] },
  { id: "a2", text: "Was kostet die Ehrenamtskarte?", right: ["faq-ehrenamtskarte-kosten"], wrong: [] },
  { id: "b1", text: "Wer zahlt, wenn sich ein Helfer beim Arbeitseinsatz verletzt?", right: ["faq-unfallkasse-helfer"], wrong: [] },
  { id: "b2", text: "Gibt es Geld für einen Dorfladen?", right: ["faq-dorfladen-foerderung"], wrong: ["nl-2023-02"] },
]);

describe("labelled questions as evidence (language/examples.json)", () => {
  it("names an entry right for a question like one it answered, and wrong for one like a question it did not answer", () => {
    const kosten = memory.evidence("kostet die ehrenamtskarte eigentlich was?");
    expect(kosten("faq-ehrenamtskarte-kosten")!.right).toBeGreaterThan(0.5);
    expect(kosten("faq-ehrenamtskarte-kosten")!.wrong).toBe(0);
    const provinzial = memory.evidence("Wie viel Geld hat die Provinzial-Stiftung 2025 verteilt?");
    expect(provinzial("nl-2026-06")!.wrong).toBeGreaterThan(0.5);
    expect(provinzial("nl-2026-06")!.right).toBe(0);
  });

  it("knows nothing about entries no example names (new knowledge), and little for an unrelated question", () => {
    expect(memory.evidence("Was kostet die Ehrenamtskarte?")("faq-gibt-es-nicht")).toBeUndefined();
    const e = memory.evidence("Wann ist die nächste Sitzung des Kreistags?")("faq-ehrenamtskarte-kosten");
    expect(e!.right).toBeLessThan(0.2);
  });

  it("leaves out the examples it is told to skip (calibration: the fold being predicted)", () => {
    const skipA = memory.evidence("Was kostet die Ehrenamtskarte?", (id) => id.startsWith("a"));
    // Its only example skipped, the entry is unknown again.
    expect(skipA("faq-ehrenamtskarte-kosten")).toBeUndefined();
    expect(skipA("faq-dorfladen-foerderung")).toBeDefined();
    expect(memory.evidence("Was kostet die Ehrenamtskarte?")("faq-ehrenamtskarte-kosten")!.right).toBeCloseTo(1, 6);
  });

  it("counts an entry's own question only for a message worded like it, not for one sharing the topic", () => {
    const own = new ExampleMemory([
      { id: `${PHRASING_PREFIX}faq-ehrenamtskarte-kosten#0`, text: "Was kostet die Ehrenamtskarte?", right: ["faq-ehrenamtskarte-kosten"], wrong: [] },
      { id: "x1", text: "Wie lange gilt die Ehrenamtskarte?", right: ["faq-ehrenamtskarte-gueltigkeit"], wrong: [] },
    ]);
    expect(own.evidence("Was kostet eigentlich die Ehrenamtskarte?")("faq-ehrenamtskarte-kosten")!.right).toBeGreaterThan(0.5);
    // Worded otherwise, an entry known only by its own phrasings is as unknown as one without examples: the
    // model without example features judges it (an entry staff published after the last calibration).
    expect(own.evidence("Gibt es für die Ehrenamtskarte Rabatt im Schwimmbad?")("faq-ehrenamtskarte-kosten")).toBeUndefined();
    expect(own.evidence("Gibt es für die Ehrenamtskarte Rabatt im Schwimmbad?")("faq-ehrenamtskarte-gueltigkeit")!.right).toBeLessThan(0.5);
  });

  it("keeps an edited entry's examples whose labelled facts its new text still shows, and its wrong ones", () => {
    const old = new ExampleMemory([
      { id: "r1", text: "Wie hoch ist die Ehrenamtspauschale?", right: ["faq-pauschale@aaa"], wrong: [], facts: ["840 Euro"], need: 1 },
      { id: "r2", text: "Seit wann gilt die Ehrenamtspauschale?", right: ["faq-pauschale@aaa"], wrong: [], facts: ["seit 2021"], need: 1 },
      { id: "r3", text: "Was kostet die Ehrenamtskarte?", right: ["faq-karte@bbb"], wrong: [], facts: ["kostenlos"], need: 1 },
      { id: "w1", text: "Wie hoch war die Ehrenamtspauschale 2019?", right: [], wrong: ["faq-pauschale@aaa"] },
    ]);
    // Staff changed faq-pauschale: "840 Euro" is still in it (as the former amount), "seit 2021" no longer.
    const now = (id: string) => (id === "faq-pauschale" ? { version: "faq-pauschale@ccc", texts: () => ["Seit 2026 960 Euro; bis 2025 waren es 840 Euro."] } : id === "faq-karte" ? { version: "faq-karte@bbb", texts: () => { throw new Error("an unchanged entry is not read"); } } : undefined);
    const holds = (facts: string[], need: number, text: string) => facts.filter((f) => text.includes(f)).length >= need;
    const moved = old.carriedOver(now, holds);
    expect(moved.examples.map((e) => [e.id, e.right, e.wrong])).toEqual([
      ["r1", ["faq-pauschale@ccc"], []],
      ["r2", [], []],
      ["r3", ["faq-karte@bbb"], []],
      ["w1", [], ["faq-pauschale@ccc"]],
    ]);
    expect(moved.evidence("Wie hoch ist die Ehrenamtspauschale?")("faq-pauschale@ccc")!.right).toBeGreaterThan(0.9);
    // Rewritten into another text: none of its questions holds, so it starts without examples, wrong ones too.
    const rewritten = old.carriedOver((id) => (id === "faq-pauschale" ? { version: "faq-pauschale@ddd", texts: () => ["Mobil im Dorf: der Bürgerbus."] } : undefined), holds);
    expect(rewritten.evidence("Wie hoch war die Ehrenamtspauschale 2019?")("faq-pauschale@ddd")).toBeUndefined();
    // Nothing edited: the same memory.
    expect(old.carriedOver((id) => ({ version: id === "faq-karte" ? "faq-karte@bbb" : "faq-pauschale@aaa", texts: () => [] }), holds)).toBe(old);
  });

  it("adds the own phrasings of entries published after the calibration, and keeps the calibrated ones", () => {
    const shipped = new ExampleMemory([{ id: `${PHRASING_PREFIX}faq-a@1#0`, text: "Was kostet die Ehrenamtskarte?", right: ["faq-a@1"], wrong: [] }]);
    const live = shipped.with([
      { id: `${PHRASING_PREFIX}faq-a@1#0`, text: "Was kostet die Ehrenamtskarte?", right: ["faq-a@1"], wrong: [] },
      { id: `${PHRASING_PREFIX}faq-neu@2#0`, text: "Welche Rechtsform passt für einen Dorfladen?", right: ["faq-neu@2"], wrong: [] },
    ]);
    expect(live.size).toBe(2);
    expect(live.evidence("Welche Rechtsform passt für einen Dorfladen?")("faq-neu@2")!.right).toBeCloseTo(1, 6);
    expect(shipped.with([]).size).toBe(1);
  });

  it("reads case, a repeated word and an inflected form as (nearly) the same question", () => {
    const a = memory.evidence("WAS KOSTET DIE EHRENAMTSKARTE?")("faq-ehrenamtskarte-kosten")!.right;
    const b = memory.evidence("was kostet die ehrenamtskarte ehrenamtskarte?")("faq-ehrenamtskarte-kosten")!.right;
    const plural = memory.evidence("Was kosten die Ehrenamtskarten?")("faq-ehrenamtskarte-kosten")!.right;
    expect(a).toBeCloseTo(1, 6);
    expect(b).toBeGreaterThan(0.9);
    expect(plural).toBeGreaterThan(0.25);
  });

  it("counts the words of a question that neither the entry nor the questions it answered use (novelty)", () => {
    const m = new ExampleMemory([
      { id: "n1", text: "Aus welchen Kreisen ist der Landkreis hervorgegangen?", right: ["faq-landkreis"], wrong: [] },
      { id: "n2", text: "Wann wurde der Kreis gegründet?", right: ["faq-landkreis"], wrong: [] },
      { id: "n3", text: "Welche E-Mail-Adresse hat der Kreis?", right: [], wrong: ["faq-landkreis"] },
    ]);
    const ev = (q: string, absent: string[]) => m.evidence(q)("faq-landkreis", { terms: terms(q), absent })!;
    // "hervorgegangen" is not in the entry's text, but a question it answered used it.
    expect(ev("Wann ist der Landkreis hervorgegangen?", ["hervorgegang"]).novel).toBe(0);
    // "Jubiläum" no question of the entry used: most of the question's weight is new to it.
    const jubilee = ev("Wann feiert der Kreis Jubiläum?", ["feiert", "jubilaum"]);
    expect(jubilee.novel).toBeGreaterThan(0.5);
    // A near miss the entry came up for does not teach it words: "E-Mail" stays new.
    expect(ev("Welche E-Mail hat der Kreis?", ["mail"]).novel).toBeGreaterThan(0);
    // Without the question's terms the feature is unknown.
    expect(m.evidence("Wann wurde der Kreis gegründet?")("faq-landkreis")!.novel).toBeNaN();
  });

  it("lets the nearest labelled questions vote: where questions like this one went (entry, other entry, staff)", () => {
    const m = new ExampleMemory([
      { id: "v1", text: "Wie viel bekommt ein Verein aus dem PS-Los der Sparkasse?", right: [], wrong: ["faq-ps-los"] },
      { id: "v2", text: "Wie viel Geld hat ein einzelner Verein aus dem PS-Los bekommen?", right: [], wrong: ["faq-ps-los"] },
      { id: "v3", text: "Wie viel kostet ein PS-Los der Sparkasse?", right: ["faq-ps-los"], wrong: [] },
      { id: "v4", text: "Was kostet die Ehrenamtskarte?", right: ["faq-ehrenamtskarte-kosten"], wrong: [] },
      { id: `${PHRASING_PREFIX}faq-ps-los#0`, text: "Wie viel Geld bekommt ein Verein aus dem PS-Los?", right: ["faq-ps-los"], wrong: [] },
    ]);
    // Two of the three questions like it went to staff: the entry gets a small share, though one example it
    // answered is close (its own phrasing does not vote).
    const perVerein = m.evidence("Wie viel Geld bekommt ein Verein aus dem PS-Los?")("faq-ps-los")!;
    expect(perVerein.right).toBeGreaterThan(0.9);
    expect(perVerein.vote).toBeGreaterThan(0);
    expect(perVerein.vote).toBeLessThan(0.5);
    // Asked like the question it answered, the entry gets most of the vote.
    const price = m.evidence("Was kostet so ein PS-Los bei der Sparkasse?");
    expect(price("faq-ps-los")!.vote).toBeGreaterThan(perVerein.vote + 0.2);
    expect(price("faq-ehrenamtskarte-kosten")!.vote).toBeLessThan(price("faq-ps-los")!.vote);
    // Leaving out the fold being predicted leaves out its votes too.
    expect(m.evidence("Was kostet so ein PS-Los bei der Sparkasse?", (id) => id === "v3")("faq-ps-los")!.vote).toBe(0);
  });

  it("tells from the labelled candidates which lacking term means a wrong answer (absentTelling)", () => {
    // Candidates lacking "samstag" were wrong every time; lacking "steht" (a question word the knowledge does not
    // use) they were right as often as candidates in general.
    const rows = [
      ...Array.from({ length: 6 }, (_, i) => ({ itemId: `s${i}`, text: "", answerable: true, terms: [], facts: [], need: 1, candidates: [{ x: [], y: 0, entry: "e", absent: ["samstag"] }] })),
      ...Array.from({ length: 6 }, (_, i) => ({ itemId: `t${i}`, text: "", answerable: true, terms: [], facts: [], need: 1, candidates: [{ x: [], y: i % 2, entry: "e", absent: ["steht"] }] })),
      ...Array.from({ length: 8 }, (_, i) => ({ itemId: `o${i}`, text: "", answerable: true, terms: [], facts: [], need: 1, candidates: [{ x: [], y: i % 2, entry: "e", absent: [] }] })),
    ];
    const counts = countAbsentTerms(rows);
    expect(counts.counts.samstag).toEqual([0, 6]);
    expect(counts.counts.steht).toEqual([3, 3]);
    expect(counts.prior).toBeCloseTo(7 / 20, 6);
    const m = new ExampleMemory([], counts);
    expect(m.absentTelling(["samstag"])).toBeLessThan(-1);
    expect(Math.abs(m.absentTelling(["steht"]))).toBeLessThan(0.5);
    // The most telling lacking term counts; nothing lacking, a term no labelled question had, no counts: 0.
    expect(m.absentTelling(["steht", "samstag"])).toBe(m.absentTelling(["samstag"]));
    expect(m.absentTelling([])).toBe(0);
    expect(m.absentTelling(["kita"])).toBeCloseTo(0, 9);
    // A word that is also a property of every object is just an unknown term.
    expect(m.absentTelling(["constructor", "tostring", "__proto__"])).toBeCloseTo(0, 9);
    expect(new ExampleMemory([]).absentTelling(["samstag"])).toBe(0);
    // Kept when the entries' own phrasings are added at run time.
    expect(m.with([{ id: `${PHRASING_PREFIX}x#0`, text: "Was kostet die Ehrenamtskarte?", right: ["x"], wrong: [] }]).absentTelling(["samstag"])).toBe(m.absentTelling(["samstag"]));
  });

  it("an empty memory (no file yet) knows no entry; a broken file is named", () => {
    expect(new ExampleMemory([]).evidence("Was kostet die Ehrenamtskarte?")("faq-ehrenamtskarte-kosten")).toBeUndefined();
    expect(ExampleMemory.load(join(tmpdir(), "gibt-es-nicht.json")).size).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "ortslotse-examples-"));
    try {
      writeFileSync(join(dir, "a.json"), "{ kaputt");
      expect(() => ExampleMemory.load(join(dir, "a.json"))).toThrow(/Beispielfragen unlesbar: .*a\.json/);
      writeFileSync(join(dir, "b.json"), JSON.stringify({ examples: [{ id: "x", text: 3 }] }));
      expect(() => ExampleMemory.load(join(dir, "b.json"))).toThrow(/falschen Format: .*b\.json/);
      writeFileSync(join(dir, "c.json"), JSON.stringify({ examples: [], absentTerms: { prior: 2, counts: {} } }));
      expect(() => ExampleMemory.load(join(dir, "c.json"))).toThrow(/falschen Format \(absentTerms\): .*c\.json/);
      writeFileSync(join(dir, "d.json"), JSON.stringify({ examples: [], absentTerms: { prior: 0.4, counts: { kita: 3 } } }));
      expect(() => ExampleMemory.load(join(dir, "d.json"))).toThrow(/falschen Format \(absentTerms\): .*d\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the shipped examples come from the calibration part only, never from the held-out part", () => {
    const shipped = JSON.parse(readFileSync(EXAMPLES_FILE, "utf8")) as ExamplesFile;
    expect(shipped.fittedOn.files).toEqual(CALIBRATION_FILES);
    const calibrationIds = new Set(CALIBRATION_FILES.flatMap((f) => readItems(f)).map((i) => i.id));
    const heldOutIds = new Set(readItems(HOLDOUT_FILE).map((i) => i.id));
    expect(shipped.examples.length).toBeGreaterThan(400);
    const labelled = shipped.examples.filter((e) => !e.id.startsWith(PHRASING_PREFIX));
    expect(labelled.filter((e) => !calibrationIds.has(e.id) || heldOutIds.has(e.id))).toEqual([]);
    // The others are the FAQ entries' own questions and the newsletter sections' headings, each naming its entry as answered.
    const own = shipped.examples.filter((e) => e.id.startsWith(PHRASING_PREFIX));
    expect(own.length).toBeGreaterThan(100);
    expect(own.every((e) => e.right.length === 1 && e.id.startsWith(`${PHRASING_PREFIX}${e.right[0]}#`) && !e.wrong.length)).toBe(true);
    expect(own.filter((e) => e.right[0].startsWith("nl-")).length).toBeGreaterThan(100);
    // Their text is the entry's own wording in knowledge/ (two held-out lines happen to ask exactly that).
    const ownText = ["knowledge/faq", "knowledge/newsletter", "knowledge/inbox"].flatMap((d) => readdirSync(d).map((f) => readFileSync(join(d, f), "utf8"))).join("\n");
    // (A PDF's headings come from its extracted text, which the file's bytes do not show.)
    expect(own.filter((e) => !e.right[0].includes("-pdf@") && !ownText.includes(e.text))).toEqual([]);
    // The counts of lacking terms come from the same labelled candidates.
    expect(Object.keys(shipped.absentTerms!.counts).length).toBeGreaterThan(500);
    expect(shipped.absentTerms!.prior).toBeGreaterThan(0.05);
    expect(shipped.absentTerms!.prior).toBeLessThan(0.6);
  });
});

describe("confidence for an entry without labelled examples", () => {
  const file = JSON.parse(readFileSync(CALIBRATION_FILE, "utf8")) as CalibrationFile;
  const model = new ConfidenceModel(file);
  const row = (right: number, wrong: number): Features =>
    Object.fromEntries(FEATURES.map((f) => [f, f === "exampleRight" ? right : f === "exampleWrong" ? wrong : 0.5])) as Features;

  it("is judged by the fit without the example features, not as 'unlike every labelled question'", () => {
    const base = file.withoutExamples!;
    expect(base.features).not.toContain("exampleRight");
    expect(base.features).not.toContain("exampleWrong");
    const z = base.bias + base.features.reduce((a, f, i) => a + base.weights[i] * ((0.5 - base.mean[i]) / base.scale[i]), 0);
    expect(model.probability(row(NaN, NaN))).toBeCloseTo(1 / (1 + Math.exp(-z)), 9);
  });

  it("a known entry: a close answered example raises the probability, a close unanswerable one lowers it", () => {
    expect(model.probability(row(0.9, 0))).toBeGreaterThan(model.probability(row(0.1, 0)));
    expect(model.probability(row(0.1, 0.9))).toBeLessThan(model.probability(row(0.1, 0)));
  });
});
