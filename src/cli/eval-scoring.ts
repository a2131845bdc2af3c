/**
 * Fact matching as the project's judge does it (shared/eval/score.py), ported so `npm run eval`
 * reports the same pass rates without Python: case, punctuation, "Prozent"/"%" and thousands dots folded.
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

export interface ScoredAnswer {
  action: string;
  text: string;
  sources: { id?: string; title?: string; excerpt?: string }[];
}

/** True when the reply passes as the judge counts it. */
export function passes(expectedAction: string, facts: string[], a: ScoredAnswer): boolean {
  const group = (x: string) => (x === "smalltalk" || x === "refuse" ? "social" : x);
  if (group(a.action) !== group(expectedAction)) return false;
  if (expectedAction !== "answer") return true;
  const srcs = a.sources.slice(0, 5);
  const hay = norm(a.text.slice(0, 2000) + " " + srcs.map((s) => ((s.title ?? "") + " " + (s.excerpt ?? "")).slice(0, 400)).join(" "));
  const stems = new Set(hay.split(" ").map(stem));
  const hit = facts.filter((f) => factFound(f, hay, stems)).length;
  return hit >= Math.max(1, Math.ceil(facts.length / 2));
}
