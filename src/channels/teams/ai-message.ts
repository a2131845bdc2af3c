import type { Activity, CardAction } from "botbuilder";
// The entity types ship with teams-ai but are not re-exported from its index.
import type { AIEntity, ClientCitation } from "@microsoft/teams-ai/lib/types/index.js";
import type { Reply, Source } from "../../core/types.js";
import { textMessage } from "./text.js";
import { HANDOVER_BUTTON } from "../../core/messages.js";

import { createRequire } from "node:module";

/**
 * botbuilder 4.23's connector serializer keeps only `type` (and mention fields) of an entity: the AI label
 * and the citations of Teams' AI message entity would be dropped on the way out (teams-ai's own SayCommand
 * has the same problem). The Activity mapper already allows extra entity properties; the Entity mapper it
 * resolves to does not. Allowing them there lets the entity through unchanged (test: the connector capture
 * receives the whole entity).
 */
const mappers = createRequire(import.meta.url)("botframework-connector/lib/connectorApi/models/mappers.js") as { Entity: { type: { additionalProperties?: unknown } } };
mappers.Entity.type.additionalProperties ??= { type: { name: "Object" } };

/** Teams shows at most this many citations per message. */
export const MAX_CITATIONS = 20;
export const HANDOVER_LABEL = HANDOVER_BUTTON;

function httpUrl(url?: string): string | undefined {
  try {
    const u = url ? new URL(url) : undefined;
    return u && (u.protocol === "https:" || u.protocol === "http:") ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function citation(s: Source, position: number): ClientCitation {
  return {
    "@type": "Claim",
    position,
    appearance: { "@type": "DigitalDocument", name: s.title.slice(0, 80), url: httpUrl(s.url), abstract: s.excerpt.replace(/\s+/g, " ").slice(0, 160) },
  };
}

/**
 * An answer the way Teams shows answers of AI bots: the text with in-text [n] markers, the "AI generated"
 * label and the sources as citations (one entity), Teams' own 👍/👎 with a comment box (feedback loop),
 * and the reply's choices plus "An das Team weitergeben" as suggested replies.
 */
export function aiAnswerMessage(reply: Reply): Partial<Activity> {
  const cited = reply.sources.slice(0, MAX_CITATIONS);
  const base = textMessage(cited.length ? `${reply.text}\n\nQuellen: ${cited.map((_, i) => `[${i + 1}]`).join(" ")}` : reply.text);
  const entity: AIEntity = {
    type: "https://schema.org/Message",
    "@type": "Message",
    "@context": "https://schema.org",
    "@id": "",
    additionalType: ["AIGeneratedContent"],
    ...(cited.length ? { citation: cited.map((s, i) => citation(s, i + 1)) } : {}),
  };
  const actions: CardAction[] = [
    ...(reply.choices ?? []).map((c) => ({ type: "imBack", title: c.label, value: c.text })),
    ...(reply.offerFeedback ? [{ type: "imBack", title: HANDOVER_LABEL, value: "mensch" }] : []),
  ];
  return {
    ...base,
    entities: [entity as unknown as NonNullable<Activity["entities"]>[number]],
    ...(reply.offerFeedback && reply.turnId ? { channelData: { feedbackLoopEnabled: true } } : {}),
    ...(actions.length ? { suggestedActions: { actions, to: [] } } : {}),
  };
}
