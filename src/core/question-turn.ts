import { MSG } from "./messages.js";

/**
 * A stored turn that asked something: answered or handed over, not a command ("/fristen", a button's "/foerder
 * verein") or a text the bot put in for the person. The one rule for "my data" and the staff statistics: both counted
 * greetings, commands and button presses as questions (user tests).
 */
export function isQuestionTurn(t: { action: string; question: string }): boolean {
  return (t.action === "answer" || t.action === "handover") && !t.question.trimStart().startsWith("/") && t.question !== MSG.handover.requestWithoutWords;
}
