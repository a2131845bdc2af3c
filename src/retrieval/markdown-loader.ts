import matter from "gray-matter";
import { createHash } from "node:crypto";
import { FAQ_MAX_WORDS, FaqMetaSchema, NewsletterMetaSchema } from "./knowledge-schema.js";
import type { KnowledgeDoc, KnowledgeSection } from "./knowledge-types.js";
import { IngestError } from "./ingest-error.js";

export const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

const LINK_RE = /\[([^\]]*)\]\((https?:\/\/[^)\s]+)\)|(https?:\/\/[^\s)>\]]+)/;

export function firstLink(text: string): string | undefined {
  const m = LINK_RE.exec(text);
  return m ? (m[2] ?? m[3]) : undefined;
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Splits Markdown body into `##` sections; text before the first heading becomes an intro section. */
export function splitSections(body: string, fallbackHeading: string): KnowledgeSection[] {
  const sections: KnowledgeSection[] = [];
  let heading = fallbackHeading;
  let buf: string[] = [];
  const flush = () => {
    const text = buf.join("\n").trim();
    // A one-line greeting before the first heading is not worth a chunk of its own.
    const isShortIntro = heading === fallbackHeading && sections.length === 0 && text.length < 120;
    if (text && !isShortIntro) sections.push({ heading, text, link: firstLink(text) });
    buf = [];
  };
  for (const line of body.split(/\r?\n/)) {
    const h = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h && !line.startsWith("###")) {
      flush();
      heading = h[1];
    } else if (/^#\s+/.test(line)) {
      continue; // the document title repeats the front matter title
    } else {
      buf.push(line);
    }
  }
  flush();
  return sections;
}

function formatZod(err: { issues: { path: (string | number)[]; message: string }[] }): string {
  return err.issues.map((i) => `${i.path.join(".") || "(Kopf)"}: ${i.message}`).join("; ");
}

/** Parses one Markdown knowledge file; throws IngestError with a German, staff-readable message. */
export function parseMarkdownKnowledge(file: string, content: string): KnowledgeDoc {
  if (!content.trim()) throw new IngestError(file, "Datei ist leer");
  let parsed: matter.GrayMatterFile<string>;
  try {
    // gray-matter caches by content; disable to keep validation honest across edits.
    parsed = matter(content, {});
  } catch (err) {
    throw new IngestError(file, `Kopfbereich (YAML) ist fehlerhaft: ${(err as Error).message.split("\n")[0]}`, { cause: err });
  }
  const data = parsed.data as Record<string, unknown>;
  if (!data || Object.keys(data).length === 0) throw new IngestError(file, "Kopfbereich (--- … ---) fehlt");
  const hash = sha256(content);
  if (data.kind === "newsletter") {
    const r = NewsletterMetaSchema.safeParse(data);
    if (!r.success) throw new IngestError(file, formatZod(r.error));
    const m = r.data;
    const sections = splitSections(parsed.content, m.title);
    if (sections.length === 0) throw new IngestError(file, "keine Abschnitte mit Text");
    const headings = new Set(sections.map((s) => s.heading));
    for (const f of m.funding) {
      if (f.section && !headings.has(f.section))
        throw new IngestError(file, `funding "${f.id}": Abschnitt "${f.section}" gibt es nicht`);
    }
    for (const s of sections) {
      s.link ??= m.link;
      s.programme = m.funding.find((f) => f.section === s.heading)?.id;
    }
    return {
      file, hash, kind: "newsletter", id: m.id, title: m.title, issue: m.issue, date: m.date,
      stand: m.stand ?? m.date, link: m.link, topics: m.topics, legal: m.legal, funding: m.funding,
      sections, origin: "markdown",
    };
  }
  if (data.kind === "faq") {
    const r = FaqMetaSchema.safeParse(data);
    if (!r.success) throw new IngestError(file, formatZod(r.error));
    const m = r.data;
    const answer = parsed.content.trim();
    if (!answer) throw new IngestError(file, "Antworttext fehlt");
    const words = countWords(answer);
    if (words > FAQ_MAX_WORDS) throw new IngestError(file, `Antwort hat ${words} Wörter (höchstens ${FAQ_MAX_WORDS})`);
    return {
      file, hash, kind: "faq", id: m.id, title: m.question, stand: m.stand, link: m.link, topics: m.topics,
      legal: m.legal, funding: m.funding,
      sections: [{ heading: m.question, text: answer, link: m.link, programme: m.programme }],
      faq: { question: m.question, alternatives: m.alternatives, answer, source: m.source, programme: m.programme },
      origin: "markdown",
    };
  }
  throw new IngestError(file, `unbekannte Art "kind: ${String(data.kind)}" (erwartet newsletter oder faq)`);
}
