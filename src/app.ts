import type { Logger } from "pino";
import type { Config } from "./config.js";
import { openStore } from "./store/open-store.js";
import type { Store } from "./store/store.js";
import { createEmbedder, openKnowledge } from "./retrieval/knowledge-base.js";
import { Delivery } from "./delivery/delivery.js";
import { HandoverService } from "./handover/handover-service.js";
import { Assistant } from "./core/assistant.js";
import { OpenAIChat } from "./answer/llm-answerer.js";
import { loadPrompts } from "./answer/prompts.js";
import type { HybridRetriever } from "./retrieval/hybrid-retriever.js";
import { readFileSync } from "node:fs";
import { loadLanguageData } from "./language/resources.js";
import { AnswerTypes } from "./language/answer-type.js";
import { Understander } from "./core/understand.js";
import { Answerability } from "./core/answerability.js";
import { Places } from "./language/places.js";
import { ExampleMemory, phrasingExamples } from "./core/example-memory.js";
import { factsFound } from "./eval/scoring.js";
import { ConfidenceModel } from "./core/confidence-model.js";
import { AnswerPlanner } from "./core/answer-planner.js";
import { join } from "node:path";
import { FundingFinder } from "./funding/finder.js";
import { LiveKnowledge } from "./knowledge/live.js";
import { PublishedKnowledge } from "./knowledge/published.js";
import { Purposes } from "./funding/purposes.js";
import { loadProgrammes } from "./funding/programmes.js";

/** The one-sentence disclaimer staff keep in knowledge/README.md ("Kurzform: …"). */
function readShortDisclaimer(knowledgeDir: string): string | undefined {
  try {
    const m = /^Kurzform:\s*(.+)$/m.exec(readFileSync(join(knowledgeDir, "README.md"), "utf8"));
    return m ? `Hinweis: ${m[1].trim()}` : undefined;
  } catch {
    return undefined; // no README: the built-in sentence is used
  }
}

/** The labelling rule of `npm run calibrate`: a text answers when it shows enough of the labelled facts. */
const factsHold = (facts: string[], need: number, text: string) => factsFound(facts, text) >= need;

/** Language knowledge (language/) over this knowledge base: message understanding and answerability. */
export function createLanguage(retriever: HybridRetriever, model = ConfidenceModel.load(), programmeNames: string[][] = [], examples = ExampleMemory.load().carriedOver((id) => retriever.entryNow(id), factsHold).with(phrasingExamples(retriever)), minConfidence?: number): { understander: Understander; planner: AnswerPlanner; answerability: Answerability } {
  const data = loadLanguageData();
  // The knowledge's own questions are the examples of a domain question for the intent classifier.
  const questions = retriever.faqPhrasings().flatMap((f) => f.phrasings);
  // A topic of the knowledge: a word it knows that is not in every other passage ("Anmeldung", not "gut").
  const answerTypes = new AnswerTypes(data.answerTypes, data.firstNames);
  const understander = new Understander(data, questions, (t) => retriever.vocabularyMatch(t) >= 0.8 && retriever.idf(t) >= 3, (t) => retriever.knowsTerm(t), answerTypes, () => retriever.terms());
  const answerability = new Answerability(retriever, answerTypes, understander.splitter, data.answerability, undefined, programmeNames, data.dialect, new Places(data.places));
  return { understander, answerability, planner: new AnswerPlanner(retriever, answerability, model, examples, undefined, minConfidence) };
}

export interface Core {
  config: Config;
  log: Logger;
  store: Store;
  retriever: HybridRetriever;
  handover: HandoverService;
  /** Channel senders and the staff notice queue. */
  delivery: Delivery;
  understander: Understander;
  planner: AnswerPlanner;
  assistant: Assistant;
  funding: FundingFinder;
  /** The knowledge staff keep in /staff, reloaded without a restart. */
  knowledge: LiveKnowledge;
}

/** Builds the channel-free core: store → knowledge index → hand-over → assistant. Shared by main and the CLIs. */
export async function createCore(config: Config, log: Logger, opts: { store?: Store; rateLimit?: false; now?: () => Date } = {}): Promise<Core> {
  const store = opts.store ?? (await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }));
  const embedder = createEmbedder(config);
  // What staff published in /staff lives in the store; the knowledge answered from is the repository's files
  // with that on top, rebuilt without a restart when it changes (here or on another instance).
  const live = new LiveKnowledge({
    knowledgeDir: config.knowledgeDir, dataDir: config.dataDir, embedder, log, published: new PublishedKnowledge(store),
    swap: (retriever, dir) => {
      const funding = createFundingFinder(dir, retriever, log);
      const lang = createLanguage(retriever, undefined, funding.programmes.map((p) => p.names), undefined, config.answerMinConfidence);
      core.assistant.useKnowledge({ retriever, understander: lang.understander, planner: lang.planner, funding });
      Object.assign(core, { retriever, understander: lang.understander, planner: lang.planner, funding });
    },
  });
  const knowledgeDir = await live.initialDir();
  const { retriever } = await openKnowledge({ knowledgeDir, dataDir: config.dataDir, embedder, log });
  const delivery = new Delivery(store, log.child({ module: "delivery" }));
  // Whether a word tells what a matter is about: rare enough in the knowledge as it is now ("Dach", not "Geld").
  const handover = new HandoverService(store, delivery, log.child({ module: "handover" }), (t) => core.retriever.idf(t) >= MATTER_MIN_IDF);
  const llm = config.llm
    ? {
        chat: new OpenAIChat({ apiKey: config.llm.apiKey, baseURL: config.llm.baseURL, model: config.llm.chatModel, timeoutMs: config.llm.timeoutMs, maxRetries: config.llm.maxRetries }),
        prompts: loadPrompts(config.promptsDir),
        redact: config.llm.redactPii,
      }
    : undefined;
  const funding = createFundingFinder(knowledgeDir, retriever, log);
  // Programme names ("Kreisstiftung", "LAG Erbeskopf") tell which programme a question is about.
  const { understander, planner } = createLanguage(retriever, undefined, funding.programmes.map((p) => p.names), undefined, config.answerMinConfidence);
  const assistant = new Assistant({
    store, retriever, handover, understander, planner, log: log.child({ module: "core" }), llm, funding, now: opts.now,
    deadlineCues: loadLanguageData().answerability.deadline_cues,
    options: {
      followupWindowMinutes: config.followupWindowMinutes,
      rateLimitPerMinute: opts.rateLimit === false ? undefined : config.rateLimitPerMinute,
      accessMode: config.accessMode, contactText: config.contactText,
      disclaimer: readShortDisclaimer(config.knowledgeDir),
      publicUrl: config.publicUrl,
    },
  });
  const core: Core = { config, log, store, retriever, handover, delivery, understander, planner, assistant, funding, knowledge: live };
  return core;
}

/**
 * The Förder-Finder over knowledge/programmes/*.yaml. A programme citing an entry the knowledge does not
 * have is a mistake in the data: named in the log, the programme is still offered (its own facts stand).
 */
/**
 * IDF from which a word names a matter of its own (hand-over hint "Ihre Anfrage Nr. … bleibt daneben offen"):
 * "Dach" 6.7, "Bürgerbus" 2.9, "Dorfladen" 2.9 do; "Geld" 2.2, "Verein" 1.3, "VG" 1.6 do not.
 */
const MATTER_MIN_IDF = 2.5;

export function createFundingFinder(knowledgeDir: string, retriever: HybridRetriever, log: Logger): FundingFinder {
  const purposes = new Purposes();
  const programmes = loadProgrammes(knowledgeDir, purposes.ids, (err) => log.error({ err: err.message }, "funding programme skipped"));
  const docs = retriever.docIds();
  for (const p of programmes) {
    const missing = p.sources.filter((s) => !docs.has(s));
    if (missing.length) log.warn({ programme: p.id, missing }, "programme cites entries the knowledge does not have");
  }
  return new FundingFinder(programmes, purposes, new Places(loadLanguageData().places));
}
