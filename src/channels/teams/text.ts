import type { Activity } from "botbuilder";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Plain core text (paragraphs split by blank lines, "• " bullets) as a Teams text message. Teams' markdown
 * collapses single line breaks, so the text goes out as simple HTML ("xml" text format) with <br>;
 * web addresses become links.
 */
export function toTeamsHtml(text: string): string {
  return escapeHtml(text.trim())
    .replace(/https?:\/\/[^\s<]+[^\s<.,;:!?)„“"]/g, (url) => `<a href="${url.replace(/"/g, "%22")}">${url}</a>`)
    .replace(/\r?\n/g, "<br>");
}

export function textMessage(text: string): Partial<Activity> {
  return { type: "message", textFormat: "xml", text: toTeamsHtml(text) };
}

/** Notification preview for card messages (Teams shows the activity summary, not the card). */
export function summaryOf(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
