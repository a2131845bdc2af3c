import type { Funding } from "./knowledge-schema.js";

export interface KnowledgeSection {
  heading: string;
  text: string;
  /** First official link found in the section, else the document's link. */
  link?: string;
  programme?: string;
}

/** One file of knowledge/, parsed and validated; channel- and index-agnostic. */
export interface KnowledgeDoc {
  file: string;
  hash: string;
  kind: "newsletter" | "faq";
  id: string;
  title: string;
  issue?: number;
  date?: string;
  stand?: string;
  link?: string;
  topics: string[];
  legal: boolean;
  funding: Funding[];
  sections: KnowledgeSection[];
  faq?: { question: string; alternatives: string[]; answer: string; source?: string; programme?: string };
  origin: "markdown" | "html" | "pdf";
}

export interface ChunkMeta {
  chunkId: string;
  docId: string;
  kind: "newsletter" | "faq";
  title: string;
  section: string;
  issue?: number;
  date?: string;
  stand?: string;
  link?: string;
  topics: string[];
  legal: boolean;
  programme?: string;
  file: string;
  /** How the item itself states its question: FAQ question and alternatives, or the section heading. */
  phrasings?: string[];
}

export interface Chunk {
  meta: ChunkMeta;
  /** What a reader sees (FAQ answer, or section text). */
  text: string;
  /** What is embedded and indexed (adds headings, FAQ question and phrasings). */
  searchText: string;
  /** The passage's distinct stemmed terms (title, section, search text), when the index stored them at build. */
  readonly storedTerms?: string[];
  /** Each own phrasing's stemmed terms and words (umlauts folded), when the index stored them at build. */
  readonly storedPhrasings?: PhrasingTerms[];
}

export interface PhrasingTerms {
  terms: string[];
  words: string[];
}

export interface IngestProblem {
  file: string;
  message: string;
}
