import { describe, expect, it } from "vitest";
import { SoftmaxModel } from "../../src/language/softmax.js";

describe("intent model kept between starts", () => {
  it("gives exactly the same probabilities after dump and restore", () => {
    const x = (pairs: [string, number][]) => new Map(pairs);
    const data = [
      { x: x([["hallo", 1], ["guten", 0.5]]), y: 0 },
      { x: x([["versichert", 1], ["helfer", 1]]), y: 1 },
      { x: x([["danke", 1]]), y: 2 },
      { x: x([["hallo", 0.3], ["helfer", 0.7]]), y: 1 },
    ];
    const m = SoftmaxModel.train(["greeting", "question", "thanks"], data);
    const back = SoftmaxModel.restore(m.dump());
    for (const d of data) expect(back.probabilities(d.x)).toEqual(m.probabilities(d.x));
    expect(back.probabilities(x([["unbekannt", 1]]))).toEqual(m.probabilities(x([["unbekannt", 1]])));
    expect(() => SoftmaxModel.restore({ ...m.dump(), bias: [0] })).toThrow();
  });
});

describe("intent classifier", () => {
  it("classifies with exactly the model's probabilities of the weighted, unit-length features (one lookup per feature)", async () => {
    const { IntentClassifier } = await import("../../src/language/intent-classifier.js");
    const { loadLanguageData } = await import("../../src/language/resources.js");
    const { surfaceFeatures } = await import("../../src/language/features.js");
    const defs = loadLanguageData().intents;
    const c = new IntentClassifier(defs);
    // The reference: the two steps the classifier fuses, as they stand on their own.
    const parts = c as unknown as { weigh(f: Map<string, number>): Map<string, number>; model: SoftmaxModel; classes: string[] };
    const texts = [
      ...defs.flatMap((d) => [...d.examples.slice(0, 20), ...(d.must_match ?? []), ...(d.must_not_match ?? [])]),
      "", "Moin", "ech hun eng Fro wéinst der Sammelversécherung", "Kein einziges bekanntes Wort: Xylophonquartett",
    ];
    expect(texts.length).toBeGreaterThan(300);
    for (const t of texts) {
      const reference = parts.model.probabilities(parts.weigh(surfaceFeatures(t)));
      const got = c.classify(t).probabilities;
      parts.classes.forEach((cls, i) => expect(Object.is(got[cls], reference[i]), `${t} / ${cls}`).toBe(true));
    }
  });
});
