/** Channel-neutral message model: the core sees only these, never a Telegram update or a Teams activity. */

export type ChannelName = "telegram" | "teams" | "web" | "cli";

export type Action = "answer" | "handover" | "smalltalk" | "refuse";

export interface Incoming {
  channel: ChannelName;
  /** Channel-scoped id of the conversation (chat id, Teams conversation id, web session). */
  conversationId: string;
  /** Channel-scoped id of the person asking. */
  userId: string;
  userName?: string;
  isGroup: boolean;
  text: string;
  /** Serialisable channel data needed to send into this conversation later (staff answers, digests). */
  reference?: unknown;
  requestId?: string;
}

export interface Source {
  id: string;
  kind: "newsletter" | "faq";
  title: string;
  date?: string;
  url?: string;
  excerpt: string;
  stand?: string;
}

export interface TicketInfo {
  id: number;
  isNew: boolean;
}

export interface Reply {
  action: Action;
  /** Plain text, paragraphs separated by blank lines, bullets as "• ". Adapters render it. */
  text: string;
  sources: Source[];
  /** Oldest as-of date among the sources shown, formatted for people (e.g. "November 2026"). */
  stand?: string;
  /** Short "no legal advice" note for legal/insurance/tax answers. */
  disclaimer?: string;
  confidence: number;
  reasons: string[];
  ticket?: TicketInfo;
  /** Id of the stored turn, so feedback buttons can refer to it. */
  turnId?: number;
  /** Offer feedback and hand-over buttons under this reply. */
  offerFeedback: boolean;
  /**
   * Answers the mayor can pick (buttons in Telegram and Teams, links in the web chat). Picking one sends
   * its `text` as the mayor's next message.
   */
  choices?: { label: string; text: string }[];
}
