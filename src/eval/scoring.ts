/**
 * Fact matching as the project's judge does it (shared/eval/score.py), ported so `npm run eval` and
 * `npm run calibrate` count the same way without Python: case, punctuation, "Prozent"/"%" and thousands
 * dots folded; a fact counts when 60 % of its content words (cut to 6 letters) are in the text.
 */
const STOP = new Set(
  "aber alle auch auf aus bei bis das dass dem den der des die ein eine einem einen einer eines für hat ist kann mit nach nicht noch nur oder ohne sich sind über und vom von vor wenn wer wie wird zum zur".split(" "),
);

export function norm(s: string): string {
  let t = (s ?? "").normalize("NFKC").toLowerCase();
  t = t.replace(/prozent/g, "%").replace(/euro/g, "€").replace(/eur /g, "€ ");
  t = t.replace(/(\d)\.(\d{3})/g, "$1$2");
  t = t.replace(/\s+%/g, "%");
  t = t.replace(/[^\p{L}\p{N}_%€§ ]+/gu, " ");
  return t.replace(/\s+/g, " ").trim();
}

const stem = (w: string) => (w.length > 6 && !/\d/.test(w) ? w.slice(0, 6) : w);

export function factFound(fact: string, hay: string, hayStems: Set<string>): boolean {
  const f = norm(fact);
  if (f && hay.includes(f)) return true;
  const words = f
    .split(" ")
    .filter((w) => (w.length > 2 || /\d/.test(w) || "%€§".includes(w)) && !STOP.has(w))
    .map(stem);
  if (!words.length) return false;
  const hit = words.filter((w) => hayStems.has(w) || (/\d/.test(w) && hay.includes(w))).length;
  return hit / words.length >= 0.6;
}

/** How many of the facts the text shows (first 2,000 characters, as the judge reads it). */
export function factsFound(facts: string[], text: string): number {
  const hay = norm(text.slice(0, 2000));
  const stems = new Set(hay.split(" ").map(stem));
  return facts.filter((f) => factFound(f, hay, stems)).length;
}

export type Outcome = "pass" | "wrong" | "missed";

/** The judge's verdict (shared/eval/score.py, strict: only the answer text counts, not the sources). */
export function outcome(expectedAction: string, facts: string[], a: { action: string; text: string }): Outcome {
  const social = (x: string) => x === "smalltalk" || x === "refuse";
  if (expectedAction === "answer") {
    if (a.action !== "answer") return "missed";
    return factsFound(facts, a.text) >= Math.max(1, Math.ceil(facts.length / 2)) ? "pass" : "wrong";
  }
  if (a.action === expectedAction || (social(expectedAction) && social(a.action))) return "pass";
  return a.action === "answer" ? "wrong" : "missed";
}
