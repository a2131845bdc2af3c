import { InlineKeyboard } from "grammy";
import { HANDOVER_BUTTON } from "../../core/messages.js";

/**
 * Inline keyboards and their callback data. Telegram allows 64 bytes of callback data, so buttons
 * carry short ids ("fb:<turnId>:1") and the handlers look everything else up in the store.
 */
export const CB = {
  feedback: /^fb:(\d{1,12}):(1|-1)$/,
  handover: /^ho:(\d{1,12})$/,
  topic: /^tq:(\d{1,3})$/,
  deleteData: /^del:(yes|no)$/,
  staff: /^st:(claim|close):(\d{1,12})$/,
  /** A reply's choice: its text is sent as the mayor's next message ("/foerder verein", under 64 bytes). */
  choice: /^(\/foerder [a-z]{3,12})$/,
};

export { HANDOVER_BUTTON };

/** "👍 Hilfreich" / "👎 Nicht hilfreich" / "An das Team weitergeben" under an answer; the reply's choices (if any) above them. */
export function feedbackKeyboard(turnId: number | undefined, choices: { label: string; text: string }[] = []): InlineKeyboard | undefined {
  const kb = new InlineKeyboard();
  const usable = choices.filter((c) => CB.choice.test(c.text));
  usable.forEach((c) => kb.text(c.label, c.text).row());
  if (turnId) kb.text("👍 Hilfreich", `fb:${turnId}:1`).text("👎 Nicht hilfreich", `fb:${turnId}:-1`).row().text(HANDOVER_BUTTON, `ho:${turnId}`);
  return usable.length || turnId ? kb : undefined;
}

/** One button per example question; pressing it asks that question. */
export function topicsKeyboard(questions: readonly string[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  questions.forEach((q, i) => kb.text(q, `tq:${i}`).row());
  return kb;
}

export function deleteConfirmKeyboard(): InlineKeyboard {
  return new InlineKeyboard().text("Ja, alles löschen", "del:yes").text("Abbrechen", "del:no");
}

/** Buttons under a ticket post in the staff chat; after a claim only "Erledigt" is left. */
export function staffKeyboard(ticketId: number, claimed = false): InlineKeyboard {
  const kb = new InlineKeyboard();
  if (!claimed) kb.text("Übernehmen", `st:claim:${ticketId}`);
  return kb.text("Erledigt", `st:close:${ticketId}`);
}
