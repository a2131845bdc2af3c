import type { Context } from "grammy";
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import type { Core } from "../../app.js";
import type { StaffChat } from "./staff-chat.js";
import type { Transcriber } from "./transcriber.js";

/** grammY context with a child logger that carries the update_id (set by the first middleware). */
export type BotContext = Context & { log: Logger };

/** Everything the feature composers need; they call only the core, the store and the Bot API. */
export interface TelegramDeps {
  core: Core;
  config: Config;
  log: Logger;
  token: string;
  /** Bot API root, also used for file downloads: `${apiRoot}/file/bot<token>/<file_path>`. */
  apiRoot: string;
  staff?: StaffChat;
  transcriber?: Transcriber;
}
