import { MSG } from "./messages.js";

/**
 * A stored turn that asked something: answered or handed over, not a command ("/fristen", a button's "/foerder
 * verein") or a text the bot put in for the person. The one rule for "my data" and the staff statistics: both counted
 * greetings, commands and button presses as questions (user tests).
 */
export function isQuestionTurn(t: { action: string; question: string }): boolean {
  return (t.action === "answer" || t.action === "handover") && !t.question.trimStart().startsWith("/") && t.question !== MSG.handover.requestWithoutWords;
}

/** The reason an answer carries for a part of its message handed over to staff ("handover:part:12"). */
export const PART_HANDOVER_REASON = "handover:part:";

/**
 * Went to staff, wholly or in part: a hand-over, or an answer with a part of its message handed over ("… Und was kostet
 * ein Festzelt?"). The staff statistics counted the latter as answered, and its topic was missing from the gaps.
 */
export function wentToStaff(t: { action: string; reasons: string | string[] }): boolean {
  if (t.action === "handover") return true;
  const reasons = typeof t.reasons === "string" ? t.reasons : JSON.stringify(t.reasons);
  return t.action === "answer" && reasons.includes(`"${PART_HANDOVER_REASON}`);
}
