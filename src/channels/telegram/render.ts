import type { Reply, Source } from "../../core/types.js";
import { MSG } from "../../core/messages.js";
import { sentenceAbbreviations } from "../../language/resources.js";

/** Telegram's limit for one message text (after entity parsing; we count the raw HTML, which is never shorter). */
export const TELEGRAM_MAX_CHARS = 4096;

/** Escapes text for Telegram HTML: only &, < and > are special there (and " inside attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttr(text: string): string {
  return escapeHtml(text).replace(/"/g, "&quot;");
}

/** Only web links become <a href>; anything else (javascript:, tg:, relative) stays plain text. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

export function link(title: string, url?: string): string {
  const href = safeUrl(url);
  return href ? `<a href="${escapeAttr(href)}">${escapeHtml(title)}</a>` : escapeHtml(title);
}

/** Plain text (the core's paragraphs and "• " bullets) as Telegram HTML. */
export function plainToHtml(text: string): string {
  return escapeHtml(text.replace(/\r\n?/g, "\n"));
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

function renderSources(header: string, sources: Source[]): string {
  const lines = sources.map((s, i) => `${i + 1}. ${link(clip(s.title, 200), s.url)}`);
  return `<b>${escapeHtml(header)}</b>\n${lines.join("\n")}`;
}

/**
 * A core Reply as Telegram HTML: body paragraphs escaped, the Stand line and the legal disclaimer in
 * italics, sources as numbered links (the numbers match the [n] citations of LLM answers).
 */
export function renderReply(reply: Reply): string {
  const italic = new Set<string>([MSG.disclaimer]);
  if (reply.disclaimer) italic.add(reply.disclaimer);
  if (reply.stand) italic.add(MSG.standLine(reply.stand));
  const paragraphs = reply.text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (italic.has(p) ? `<i>${escapeHtml(p)}</i>` : escapeHtml(p)));
  if (reply.stand && !reply.text.includes(MSG.standLine(reply.stand))) paragraphs.push(`<i>${escapeHtml(MSG.standLine(reply.stand))}</i>`);
  if (reply.disclaimer && !reply.text.includes(reply.disclaimer)) paragraphs.push(`<i>${escapeHtml(reply.disclaimer)}</i>`);
  if (reply.sources.length) {
    paragraphs.push(renderSources(MSG.sourcesHeading(reply.action), reply.sources));
  }
  return paragraphs.join("\n\n");
}

// ---------------------------------------------------------------------------------------------
// Splitting: never inside a tag or an entity, never between the halves of a surrogate pair; open
// tags are closed at the end of a part and reopened at the start of the next.

interface Atom {
  s: string;
  open?: string;
  close?: string;
}

const ATOM = /<\/?([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^>]*)?>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[\s\S]/gu;

function atomize(html: string): Atom[] {
  const atoms: Atom[] = [];
  for (const m of html.matchAll(ATOM)) {
    const s = m[0];
    if (m[1] && s.startsWith("</")) atoms.push({ s, close: m[1].toLowerCase() });
    else if (m[1]) atoms.push({ s, open: m[1].toLowerCase() });
    else atoms.push({ s });
  }
  return atoms;
}

/**
 * Whether the space at `at` follows a sentence's end: "!", "?", "…", or a full stop after a word that is no
 * abbreviation ("z. B.", "ca.", "Nr.") and no number ("1. Juli"): a cut after "z. B." left "eine Urnenwand …" alone
 * at the start of the next message (user test).
 */
function endsSentence(queue: Atom[], at: number): boolean {
  const mark = queue[at - 1]?.s ?? "";
  if (/^[!?…]$/u.test(mark)) return true;
  if (mark !== ".") return false;
  let word = "";
  for (let k = at - 2; k >= 0 && /^[\p{L}\p{N}]$/u.test(queue[k].s); k--) word = queue[k].s + word;
  return word.length > 0 && !/^\d+$/.test(word) && !sentenceAbbreviations().has(word.toLowerCase());
}

const closing = (stack: Atom[]) => stack.map((a) => `</${a.open}>`).reverse().join("");
const closingLen = (stack: Atom[]) => stack.reduce((n, a) => n + a.open!.length + 3, 0);

function applyTag(stack: Atom[], a: Atom): Atom[] {
  if (a.open) return [...stack, a];
  if (a.close) {
    const i = stack.map((x) => x.open).lastIndexOf(a.close);
    return i >= 0 ? [...stack.slice(0, i), ...stack.slice(i + 1)] : stack;
  }
  return stack;
}

/**
 * Splits Telegram HTML into parts of at most `limit` characters, preferring paragraph breaks, then
 * line breaks, then spaces, and only as a last resort a hard cut between two characters.
 */
export function splitHtml(html: string, limit = TELEGRAM_MAX_CHARS): string[] {
  if (html.length <= limit) return html.trim() ? [html] : [];
  const parts: string[] = [];
  let queue = atomize(html);
  let startStack: Atom[] = [];
  while (queue.length) {
    // Fill one part from `queue`, starting with the tags still open from the previous part.
    let stack = startStack;
    let len = startStack.reduce((n, a) => n + a.s.length, 0);
    // Latest break candidate per priority: 4 paragraph, 3 line, 2 sentence end, 1 space (a long staff answer of one
    // paragraph was split mid-sentence: "… Der Ausbau erfolgt in" / "Abschnitten."; user test).
    const breaks: ({ at: number; stack: Atom[]; len: number } | undefined)[] = [];
    let i = 0;
    for (; i < queue.length; i++) {
      const a = queue[i];
      const next = applyTag(stack, a);
      if (len + a.s.length + closingLen(next) > limit) break;
      len += a.s.length;
      stack = next;
      if (!a.open && !a.close && /^\s$/u.test(a.s)) {
        const prio = a.s === "\n" ? (queue[i - 1]?.s === "\n" ? 4 : 3) : endsSentence(queue, i) ? 2 : 1;
        breaks[prio] = { at: i + 1, stack, len };
      }
    }
    if (i >= queue.length) {
      parts.push(startStack.map((a) => a.s).join("") + queue.map((a) => a.s).join(""));
      break;
    }
    // The strongest break that still fills at least half the part; else the latest one; else a hard cut.
    const candidates = [4, 3, 2, 1].map((p) => breaks[p]).filter((b): b is NonNullable<typeof b> => Boolean(b));
    const chosen = candidates.find((b) => b.len >= limit / 2) ?? candidates.sort((x, y) => y.len - x.len)[0];
    const cut = chosen?.at ?? Math.max(i, 1);
    const cutStack = chosen?.stack ?? queue.slice(0, cut).reduce(applyTag, startStack);
    const body = startStack.map((a) => a.s).join("") + queue.slice(0, cut).map((a) => a.s).join("");
    parts.push(body.replace(/\s+$/u, "") + closing(cutStack));
    queue = queue.slice(cut);
    // Leading whitespace of the next part is dropped (it was the break).
    while (queue.length && !queue[0].open && !queue[0].close && /^\s$/u.test(queue[0].s)) queue.shift();
    startStack = cutStack;
  }
  return parts.map((p) => p.trim()).filter((p) => p.replace(/<[^>]+>/g, "").trim().length > 0);
}
