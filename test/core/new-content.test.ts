import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { makeCore } from "../support/core.js";
import { copyKnowledge } from "../support/temp.js";

/**
 * A freshly published issue has no labelled questions yet. A question with its new words ("Jugendbudget",
 * "Energie-Check") must not be answered from an older entry that is merely like the labelled questions it
 * answered (measured on eval/reserve/new-issue: three of five wrong answers were older entries).
 */
describe("questions about a newly published issue", () => {
  let core: Awaited<ReturnType<typeof makeCore>>;
  let knowledge: ReturnType<typeof copyKnowledge>;
  beforeAll(async () => {
    knowledge = copyKnowledge("knowledge");
    for (const f of ["2027-01-vereinsheime-dorfgedaechtnis.md", "2027-02-jugend-schatten-streuobst.md"]) {
      copyFileSync(join("eval/reserve/new-issue", f), join(knowledge.dir, "newsletter", f));
    }
    core = await makeCore({ KNOWLEDGE_DIR: knowledge.dir });
  }, 120_000);
  afterAll(async () => {
    await core?.cleanup();
    knowledge?.cleanup();
  });
  const ask = (text: string) => core.assistant.handle({ channel: "web", conversationId: `c-${text.length}`, userId: "u", isGroup: false, text });

  it.each([
    "Wie viele Projekte will das Kreisjugendamt mit dem Jugendbudget insgesamt fördern?",
    "hab gelesen beim energie check muss man selber einen berater aussuchen. von welcher liste eigentlich?",
  ])("does not answer %s from an older entry without the new words", async (q) => {
    const r = await ask(q);
    if (r.action === "answer") expect(r.sources[0].id, r.text).toMatch(/^nl-2027-0[12]/);
    else expect(r.action).toBe("handover");
  });

  it("still answers a question about the older entries as before", async () => {
    const r = await ask("Wie viele Projekte hat die Kreisstiftung seit 2007 gefördert?");
    expect(r.action).toBe("answer");
    expect(r.text).toContain("200 Projekte");
  });
});
