import type { Understander } from "../core/understand.js";
import type { AnswerPlanner } from "../core/answer-planner.js";
import { MODEL_FEATURES } from "../core/confidence-model.js";
import { factsFound } from "./scoring.js";
import type { EvalItem } from "./dataset.js";

/** One question of one labelled message, with every candidate passage's features and whether its answer is right. */
export interface AskRows {
  itemId: string;
  /** The question as the planner read it (what the labelled examples are matched on). */
  text: string;
  /** The message is one the knowledge answers (expected action "answer"). */
  answerable: boolean;
  /** In the planner's order (search order while collecting with a neutral model); `entry`: the entry and its version. */
  candidates: { x: number[]; y: number; entry: string; absent: string[] }[];
  /** The question's terms (the example novelty is a share of them). */
  terms: string[];
  /** The labelled facts and how many of them a right answer shows (an example outlives an entry's edit that keeps them). */
  facts: string[];
  need: number;
}

/**
 * Runs understanding and the answer planner over labelled messages and labels each candidate passage:
 * right (1) when the text it would show contains the expected facts as the judge counts them, else 0
 * (always 0 for messages that should go to staff). Messages the intent step already declines or hands
 * over are not part of the confidence model.
 */
export async function collectRows(items: EvalItem[], understander: Understander, planner: AnswerPlanner): Promise<AskRows[]> {
  const out: AskRows[] = [];
  const earlierInConversation = new Map<string, string[]>();
  for (const it of items) {
    if (it.expected_action !== "answer" && it.expected_action !== "handover") continue;
    const u = understander.understand(it.question);
    const earlier = it.conversation ? (earlierInConversation.get(it.conversation) ?? []) : [];
    const previous = understander.antecedentOf(earlier);
    if (it.conversation) earlierInConversation.set(it.conversation, [...earlier, it.question]);
    if (u.kind !== "question") continue;
    const facts = it.expected_facts ?? [];
    const plans = await planner.planMessage(u.asks, u.context, previous, (a, turn) => understander.continues(a, turn), u.staffLikelihood, u.dialect, u.storyBefore);
    for (const plan of plans) {
      const need = u.asks.length > 1 ? 1 : Math.max(1, Math.ceil(facts.length / 2));
      out.push({
        itemId: it.id,
        text: plan.exampleText,
        answerable: it.expected_action === "answer",
        terms: plan.ask.terms,
        facts,
        need,
        // Candidates a hard limit blocks can never be shown: the model is fitted on the others.
        candidates: plan.candidates.filter((c) => !c.blocked.length).map((c) => ({
          x: MODEL_FEATURES.map((f) => c.features[f]),
          y: it.expected_action === "answer" && factsFound(facts, c.shown) >= need ? 1 : 0,
          entry: planner.entryVersion(c.hit.chunk),
          absent: c.absent,
        })),
      });
    }
  }
  return out;
}
