import { terms } from "../retrieval/german-text.js";
import type { Hit } from "../retrieval/hybrid-retriever.js";
import { stripMarkdown, withoutSourceLine } from "./format.js";

export interface DraftAnswer {
  text: string;
  used: Hit[];
}

const MAX_CHARS = 900;

function sentences(text: string): string[] {
  return stripMarkdown(withoutSourceLine(text))
    .split(/\n+|(?<=[.!?])\s+(?=[A-ZÄÖÜ„"(•0-9])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Offline answer: the best FAQ answer as written by staff, or the sentences of the best passages that
 * carry most of the question's content words, in their original order. Short enough for a phone.
 */
export function extractiveAnswer(question: string, hits: Hit[]): DraftAnswer {
  const top = hits[0];
  if (!top) return { text: "", used: [] };
  if (top.chunk.meta.kind === "faq") {
    const used = [top];
    let text = stripMarkdown(top.chunk.text);
    // A second FAQ that covers the question about as well often answers the other half of it.
    const second = hits.slice(1, 3).find((h) => h.chunk.meta.kind === "faq" && h.coverage >= top.coverage * 0.9 && h.score >= top.score * 0.8);
    if (second && text.length + second.chunk.text.length < MAX_CHARS + 300) {
      text += `\n\n${stripMarkdown(second.chunk.text)}`;
      used.push(second);
    }
    return { text, used };
  }
  const q = new Set(terms(question));
  const picked: { hit: Hit; idx: number; s: string }[] = [];
  let length = 0;
  for (const h of hits.slice(0, 2)) {
    if (h !== top && h.score < top.score * 0.75) break;
    const ss = sentences(h.chunk.text);
    const scored = ss.map((s, idx) => {
      const t = terms(s);
      const overlap = t.filter((x) => q.has(x)).length;
      const figures = /\d/.test(s) ? 0.3 : 0;
      return { idx, s, score: overlap + figures + (idx === 0 ? 0.2 : 0) };
    });
    const best = scored.filter((x) => x.score > 0.25).sort((a, b) => b.score - a.score).slice(0, h === top ? 4 : 2);
    if (best.length === 0 && h === top) best.push(...scored.slice(0, 2));
    for (const b of best.sort((a, c) => a.idx - c.idx)) {
      if (length + b.s.length > MAX_CHARS && picked.length) break;
      picked.push({ hit: h, idx: b.idx, s: b.s });
      length += b.s.length;
    }
  }
  const used = [...new Set(picked.map((p) => p.hit))];
  const text = used.map((h) => picked.filter((p) => p.hit === h).map((p) => p.s).join(" ")).join("\n\n");
  return { text, used };
}
