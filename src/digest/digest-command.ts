import type { ChannelName } from "../core/types.js";
import type { Store } from "../store/store.js";
import { Cron } from "croner";

export interface DigestCommandInput {
  store: Store;
  channel: ChannelName;
  conversationId: string;
  userId: string;
  /** "an", "aus" or "" (status). Anything else gets the usage text. */
  arg: string;
  isGroup: boolean;
  /** In groups only admins may switch the digest; channels find out with their own API. */
  isAdmin: boolean;
  cron: string;
  timezone: string;
}

/** When the digest goes out next, in German ("Montag, 7. Dezember um 08:00"); undefined for a cron without one. */
export function nextDigestRun(cron: string, timezone: string): string | undefined {
  try {
    const next = new Cron(cron, { timezone, paused: true }).nextRun();
    return next?.toLocaleString("de-DE", { timeZone: timezone, weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
  } catch {
    return undefined;
  }
}

function nextRunText(cron: string, timezone: string): string {
  const s = nextDigestRun(cron, timezone);
  return s ? ` Nächster Wochenüberblick: ${s} Uhr.` : "";
}

/** /digest an|aus|(leer): opt a chat in or out of the weekly digest; German reply text. */
export async function handleDigestCommand(i: DigestCommandInput): Promise<string> {
  const arg = i.arg.trim().toLowerCase();
  const next = nextRunText(i.cron, i.timezone);
  if (arg === "" || arg === "status") {
    const on = await i.store.isSubscribed(i.channel, i.conversationId);
    return on
      ? `Der Wochenüberblick ist für diesen Chat eingeschaltet.${next} Ausschalten mit „/digest aus“.`
      : "Der Wochenüberblick ist für diesen Chat ausgeschaltet. Einschalten mit „/digest an“.";
  }
  if (arg !== "an" && arg !== "aus" && arg !== "on" && arg !== "off") {
    return "So geht es: „/digest an“ schaltet den Wochenüberblick ein, „/digest aus“ schaltet ihn aus, „/digest“ zeigt den Stand.";
  }
  if (i.isGroup && !i.isAdmin) {
    return "Den Wochenüberblick für eine Gruppe können nur Administratorinnen und Administratoren der Gruppe ein- oder ausschalten.";
  }
  if (arg === "an" || arg === "on") {
    const added = await i.store.subscribe({ channel: i.channel, conversationId: i.conversationId, createdBy: i.userId });
    return added
      ? `Der Wochenüberblick ist jetzt eingeschaltet: neue Themen, Fristen und die Frage der Woche.${next}`
      : `Der Wochenüberblick war schon eingeschaltet.${next}`;
  }
  const removed = await i.store.unsubscribe(i.channel, i.conversationId);
  return removed ? "Der Wochenüberblick ist jetzt ausgeschaltet." : "Der Wochenüberblick war nicht eingeschaltet.";
}
