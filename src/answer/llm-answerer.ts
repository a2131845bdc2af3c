import OpenAI from "openai";
import type { Hit } from "../retrieval/hybrid-retriever.js";
import { fill, type Prompts } from "./prompts.js";
import { LlmError } from "./llm-error.js";
import { redactPersonalData } from "./redact.js";
import { stripMarkdown, withoutSourceLine, germanMonth } from "./format.js";

export interface LlmAnswer {
  notCovered: boolean;
  text: string;
  /** Hits in the order the answer cites them. */
  cited: Hit[];
}

export interface ChatCompleter {
  complete(system: string, user: string): Promise<string>;
}

/** Any OpenAI-compatible chat endpoint (OpenAI, Azure OpenAI, Ollama, vLLM) via the openai client. */
export class OpenAIChat implements ChatCompleter {
  private client: OpenAI;
  constructor(private opts: { apiKey: string; baseURL?: string; model: string; timeoutMs: number; maxRetries: number }) {
    this.client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, timeout: opts.timeoutMs, maxRetries: opts.maxRetries });
  }

  async complete(system: string, user: string): Promise<string> {
    try {
      const res = await this.client.chat.completions.create({
        model: this.opts.model,
        temperature: 0.1,
        max_tokens: 600,
        messages: [
          { role: "system", content: system },
          { role: "user", content: user },
        ],
      });
      const content = res?.choices?.[0]?.message?.content;
      if (typeof content !== "string") throw new LlmError("malformed", "response has no message content");
      return content;
    } catch (err) {
      if (err instanceof LlmError) throw err;
      if (err instanceof OpenAI.APIConnectionTimeoutError) throw new LlmError("timeout", "LLM timed out", { cause: err });
      if (err instanceof OpenAI.APIConnectionError) throw new LlmError("network", "LLM not reachable", { cause: err });
      if (err instanceof OpenAI.APIError) {
        if (err.status === 429) throw new LlmError("rate_limited", "LLM rate limited", { cause: err });
        if ((err.status ?? 0) >= 500) throw new LlmError("server", `LLM server error ${err.status}`, { cause: err });
        throw new LlmError("other", `LLM error ${err.status}`, { cause: err });
      }
      throw new LlmError("malformed", "LLM response unusable", { cause: err });
    }
  }
}

export function passageBlock(hits: Hit[], redact: boolean): string {
  return hits
    .map((h, i) => {
      const m = h.chunk.meta;
      const head = m.kind === "faq" ? `FAQ „${m.title}“` : `Newsletter Nr. ${m.issue ?? "?"} (${germanMonth(m.date) ?? "ohne Datum"}), Abschnitt „${m.section}“`;
      const body = stripMarkdown(withoutSourceLine(h.chunk.text));
      return `[${i + 1}] ${head}, Stand: ${germanMonth(m.stand ?? m.date) ?? "unbekannt"}\n${redact ? redactPersonalData(body) : body}`;
    })
    .join("\n\n");
}

/** Grounded answer with numbered citations; anything unusable is an LlmError so the caller can fall back. */
export async function llmAnswer(opts: {
  chat: ChatCompleter;
  prompts: Prompts;
  question: string;
  history: { role: "mayor" | "bot"; text: string }[];
  hits: Hit[];
  redact: boolean;
}): Promise<LlmAnswer> {
  const clean = (s: string) => (opts.redact ? redactPersonalData(s) : s).replace(/<\/?(frage|verlauf)>/gi, "");
  const user = fill(opts.prompts.answer, {
    passages: passageBlock(opts.hits, opts.redact),
    history: opts.history.map((t) => `${t.role === "mayor" ? "Frage" : "Antwort"}: ${clean(t.text).slice(0, 500)}`).join("\n") || "(keiner)",
    question: clean(opts.question),
  });
  const raw = (await opts.chat.complete(opts.prompts.system, user)).trim();
  if (!raw) throw new LlmError("malformed", "empty answer");
  if (/NICHT_ABGEDECKT/.test(raw) && raw.length < 200) return { notCovered: true, text: "", cited: [] };
  if (raw.length > 4000) throw new LlmError("malformed", "answer too long");
  const nums = [...raw.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  if (nums.length === 0) throw new LlmError("malformed", "answer cites no passage");
  if (nums.some((n) => n < 1 || n > opts.hits.length)) throw new LlmError("malformed", "answer cites a passage that does not exist");
  const cited = [...new Set(nums)].map((n) => opts.hits[n - 1]);
  const foreign = ungroundedContacts(raw, cited);
  if (foreign.length) throw new LlmError("ungrounded", `answer contains ${foreign.length} link(s), phone number(s) or address(es) not in the cited passages`);
  return { notCovered: false, text: raw.replace(/NICHT_ABGEDECKT/g, "").trim(), cited };
}

const URL = /\bhttps?:\/\/[^\s)\]>"“”]+|\bwww\.[^\s)\]>"“”]+/gi;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const PHONE = /(?:\+|00)\d{1,3}[\s/-]?(?:\(?\d+\)?[\s/-]?){2,6}\d|\b0\d{2,5}[\s/-]?\d{2,}(?:[\s-]?\d{2,})*\b/g;

/**
 * Links, e-mail addresses and phone numbers an answer may only repeat from the passages it cites: a model
 * (or an injected passage) must not send a mayor to a fake login page or a stranger's number.
 */
export function ungroundedContacts(answer: string, cited: Hit[]): string[] {
  const source = cited.map((h) => `${h.chunk.text} ${h.chunk.meta.link ?? ""}`).join(" ");
  const urlKey = (u: string) => u.toLowerCase().replace(/^https?:\/\//, "").replace(/^www\./, "").replace(/[.,;:!?]+$/, "").replace(/\/$/, "");
  const digits = (p: string) => p.replace(/\D/g, "");
  const sourceUrls = new Set((source.match(URL) ?? []).map(urlKey));
  const sourceMails = new Set((source.match(EMAIL) ?? []).map((m) => m.toLowerCase()));
  const sourcePhones = new Set((source.match(PHONE) ?? []).map(digits));
  const out: string[] = [];
  for (const u of answer.match(URL) ?? []) if (!sourceUrls.has(urlKey(u))) out.push(u);
  for (const m of answer.match(EMAIL) ?? []) if (!sourceMails.has(m.toLowerCase())) out.push(m);
  for (const p of answer.match(PHONE) ?? []) if (!sourcePhones.has(digits(p))) out.push(p);
  return out;
}
