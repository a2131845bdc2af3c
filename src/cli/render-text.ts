import type { Reply } from "../core/types.js";
import { germanMonth } from "../answer/format.js";
import { MSG } from "../core/messages.js";

/** Plain-text rendering of a reply, as a mayor would read it (CLI and logs for staff). */
export function renderPlain(reply: Reply): string {
  const out = [reply.text];
  if (reply.sources.length) {
    out.push(
      `${MSG.sourcesHeading(reply.action)}\n` +
        reply.sources
          .map((s, i) => `[${i + 1}] ${s.title}${s.date && s.kind === "faq" ? ` (${germanMonth(s.date)})` : ""}${s.url ? `\n    ${s.url}` : ""}`)
          .join("\n"),
    );
  }
  return out.join("\n\n");
}
