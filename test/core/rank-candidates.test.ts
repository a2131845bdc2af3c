import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";
import { rankCandidates } from "../../src/core/confidence-model.js";
import { loadLanguageData } from "../../src/language/resources.js";

/** Which candidate answers when two are about as likely (language/answerability.yaml, type_agree_tie). */
describe("ranking candidates", () => {
  const c = (id: string, p: number, agree: number) => ({ id, p, agree });
  const rank = (list: ReturnType<typeof c>[], tie: number) => rankCandidates(list, (x) => x.p, (x) => x.agree, tie).map((x) => x.id);

  it("puts the most probable first, unless one whose own question asks the same kind of answer is as likely", () => {
    expect(rank([c("a", 0.5, 0.5), c("b", 0.9, 0.5), c("c", 0.7, 1)], 0.02)).toEqual(["b", "c", "a"]);
    expect(rank([c("story", 0.96, 0.5), c("definition", 0.95, 1), c("deadline", 0.82, 0)], 0.02)).toEqual(["definition", "story", "deadline"]);
    // Not when the agreeing one is clearly less likely, when the best agrees itself, or with no tie.
    expect(rank([c("story", 0.96, 0.5), c("definition", 0.9, 1)], 0.02)).toEqual(["story", "definition"]);
    expect(rank([c("x", 0.96, 1), c("y", 0.95, 1)], 0.02)).toEqual(["x", "y"]);
    expect(rank([c("story", 0.96, 0.5), c("definition", 0.95, 1)], 0)).toEqual(["story", "definition"]);
  });

  it("reads the closeness from the language data", () => {
    const tie = loadLanguageData().answerability.type_agree_tie;
    expect(tie).toBeGreaterThan(0);
    expect(tie).toBeLessThan(0.1);
  });
});

describe("a question for a definition", () => {
  let core: Awaited<ReturnType<typeof makeCore>>;
  beforeAll(async () => {
    core = await makeCore({ KNOWLEDGE_DIR: "knowledge" });
  });
  afterAll(async () => core.cleanup());

  it("gets the entry that explains the thing, not a village's story about it (user test)", async () => {
    const r = await core.assistant.handle({ channel: "cli", conversationId: "def-1", userId: "def-1", isGroup: false, text: "Was ist eine Dorfmoderation?" });
    expect(r.action).toBe("answer");
    expect(r.sources[0].id).toBe("faq-dorfmoderation-was-ist-das");
  });
});
