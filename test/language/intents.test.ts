import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCore } from "../support/core.js";
import { loadLanguageData } from "../../src/language/resources.js";
import type { Understanding } from "../../src/core/understand.js";

/** What each intent file's messages must become, as the assistant decides (understanding step). */
const EXPECTED: Record<string, (u: Understanding) => boolean> = {
  greeting: (u) => u.kind === "smalltalk",
  thanks: (u) => u.kind === "smalltalk",
  goodbye: (u) => u.kind === "smalltalk",
  identity: (u) => u.kind === "smalltalk",
  capabilities: (u) => u.kind === "smalltalk",
  chitchat: (u) => u.kind === "smalltalk",
  person_request: (u) => u.kind === "handover",
  individual_case: (u) => u.kind === "handover",
  other_users: (u) => u.kind === "refuse",
  private_data: (u) => u.kind === "refuse",
  injection: (u) => u.kind === "refuse",
  political: (u) => u.kind === "refuse",
  evading_rules: (u) => u.kind === "refuse",
  abuse: (u) => u.kind === "refuse",
  question: (u) => u.kind === "question",
};
/** Same intent as the file, for must_not_match (a near miss may be another intent of the same action). */
const SAME: Record<string, (u: Understanding) => boolean> = {
  ...EXPECTED,
  person_request: (u) => u.kind === "handover" && u.type === "person_requested",
  individual_case: (u) => u.kind === "handover" && u.type === "individual_case",
  other_users: (u) => u.kind === "refuse" && u.type === "other_users",
  private_data: (u) => u.kind === "refuse" && u.type === "private_data",
  injection: (u) => u.kind === "refuse" && u.type === "injection",
  political: (u) => u.kind === "refuse" && u.type === "political",
  evading_rules: (u) => u.kind === "refuse" && u.type === "illegal",
  abuse: (u) => u.kind === "refuse" && u.type === "abuse",
  greeting: (u) => u.kind === "smalltalk" && u.type === "greeting",
  thanks: (u) => u.kind === "smalltalk" && u.type === "thanks",
  goodbye: (u) => u.kind === "smalltalk" && u.type === "goodbye",
  identity: (u) => u.kind === "smalltalk" && u.type === "identity",
  capabilities: (u) => u.kind === "smalltalk" && u.type === "capabilities",
  chitchat: (u) => u.kind === "smalltalk" && u.type === "chitchat",
};

const data = loadLanguageData();
type TestCore = Awaited<ReturnType<typeof makeCore>>;
let core: TestCore;
beforeAll(async () => {
  core = await makeCore({ KNOWLEDGE_DIR: "knowledge" });
});
afterAll(async () => core.cleanup());

describe("intent example files (language/intents/*.yaml)", () => {
  it("every file has an action, enough examples and test cases", () => {
    expect(data.intents.map((d) => d.intent).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const d of data.intents) {
      expect(["smalltalk", "refuse", "handover", "question"], d.intent).toContain(d.action);
      expect(d.examples.length, d.intent).toBeGreaterThanOrEqual(50);
      expect(d.must_match?.length ?? 0, d.intent).toBeGreaterThanOrEqual(10);
      expect(d.must_not_match?.length ?? 0, d.intent).toBeGreaterThanOrEqual(10);
      const tests = new Set([...(d.must_match ?? []), ...(d.must_not_match ?? [])].map((t) => t.toLowerCase()));
      expect(d.examples.filter((e) => tests.has(e.toLowerCase())), `${d.intent}: a test case is also a training example`).toEqual([]);
    }
  });

  it.each(data.intents.map((d) => [d.intent, d] as const))("%s: near misses never become this intent", (_name, d) => {
    const wrong = (d.must_not_match ?? []).filter((t) => SAME[d.intent](core.understander.understand(t)));
    // Measured: 154 of 156 near misses across all files stay clear; a file may have at most one.
    expect(wrong.length, wrong.join(" | ")).toBeLessThanOrEqual(1);
  });

  it("recognises most of the harder must_match messages (not training examples)", () => {
    let hit = 0;
    let n = 0;
    const perFile: string[] = [];
    for (const d of data.intents) {
      const ok = (d.must_match ?? []).filter((t) => EXPECTED[d.intent](core.understander.understand(t))).length;
      hit += ok;
      n += d.must_match?.length ?? 0;
      perFile.push(`${d.intent} ${ok}/${d.must_match?.length}`);
      expect(ok / (d.must_match?.length ?? 1), `${d.intent}: ${ok}`).toBeGreaterThanOrEqual(0.33);
    }
    // Measured: 133 of 183 (0.73) since chit-chat got its own file (session 41); 116 of 156 before.
    expect(hit / n, perFile.join(", ")).toBeGreaterThanOrEqual(0.72);
  });
});

describe("safety rules (language/safety.yaml)", () => {
  const withCases = data.safety.rules.filter((r) => r.must_match || r.must_not_match);

  it("the rules for the mayor's own matter carry their test cases", () => {
    expect(withCases.map((r) => r.name)).toEqual(expect.arrayContaining(["case:own-outcome", "case:must-we-pay", "case:please-handle"]));
  });

  it.each(withCases.map((r) => [r.name, r] as const))("%s: hands over every must_match message as its intent, and no must_not_match message", (_name, r) => {
    for (const t of r.must_match ?? []) {
      const u = core.understander.understand(t);
      expect(u.reasons, t).toContain(r.name);
      expect(SAME[r.intent](u), t).toBe(true);
    }
    for (const t of r.must_not_match ?? []) expect(core.understander.understand(t).reasons, t).not.toContain(r.name);
  });
});
