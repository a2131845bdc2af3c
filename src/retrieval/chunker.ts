import type { Chunk, KnowledgeDoc } from "./knowledge-types.js";

/** Sections longer than this are split further; most newsletter sections stay whole. */
const MAX_SECTION_CHARS = 1400;

/**
 * langchain's splitter, loaded on first use: with @langchain/core it adds about 40 MB to a process, and an
 * instance whose index is current never chunks.
 */
let splitter: Promise<{ splitText(text: string): Promise<string[]> }> | undefined;
function longSectionSplitter() {
  return (splitter ??= import("@langchain/textsplitters").then(({ RecursiveCharacterTextSplitter }) =>
    new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 150, separators: ["\n\n", "\n", ". ", " ", ""] })));
}

/**
 * What is searched: the text without its web addresses. A link's words are the name shown for it; the address
 * brought the words of a page's path and its parameters ("mode=9999", a hash) into the index.
 */
function withoutUrls(text: string): string {
  return text.replace(/\[([^\]]*)\]\((?:https?:\/\/|www\.)[^)\s]*\)/g, "$1").replace(/(?:https?:\/\/|www\.)\S+/g, " ");
}

/** One chunk per FAQ entry and per newsletter section (long sections split with langchain). */
export async function chunkDoc(doc: KnowledgeDoc): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  if (doc.kind === "faq" && doc.faq) {
    const f = doc.faq;
    chunks.push({
      meta: {
        chunkId: doc.id, docId: doc.id, kind: "faq", title: f.question, section: f.question, stand: doc.stand,
        link: doc.link, topics: doc.topics, legal: doc.legal, programme: f.programme, file: doc.file,
        phrasings: [f.question, ...f.alternatives],
      },
      text: f.answer,
      searchText: withoutUrls([f.question, ...f.alternatives, f.answer].join("\n")),
    });
    return chunks;
  }
  let i = 0;
  for (const s of doc.sections) {
    const parts = s.text.length > MAX_SECTION_CHARS ? await (await longSectionSplitter()).splitText(s.text) : [s.text];
    for (const part of parts) {
      chunks.push({
        meta: {
          chunkId: `${doc.id}#${++i}`, docId: doc.id, kind: "newsletter", title: doc.title, section: s.heading,
          issue: doc.issue, date: doc.date, stand: doc.stand, link: s.link ?? doc.link, topics: doc.topics,
          legal: doc.legal && sectionIsLegal(s.heading), programme: s.programme, file: doc.file, phrasings: [s.heading],
        },
        text: part,
        searchText: withoutUrls(`${s.heading}\n${part}`),
      });
    }
  }
  return chunks;
}

/**
 * A newsletter marked `legal: true` mixes legal sections with funding news and village stories. Only the
 * sections whose heading names a legal kind ("Recht: …", "Steuer: …", see knowledge/README.md) carry the
 * "keine Rechtsberatung" note; a heading without such a category keeps the issue's marking.
 */
const LEGAL_CATEGORY = /^(recht|steuer|versicherung|haftung|datenschutz|arbeitsschutz|unfallschutz)\b/i;
const ANY_CATEGORY = /^[\p{L} -]{3,30}:/u;
export function sectionIsLegal(heading: string): boolean {
  return LEGAL_CATEGORY.test(heading.trim()) || !ANY_CATEGORY.test(heading.trim());
}
