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
