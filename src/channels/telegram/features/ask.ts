import { Composer } from "grammy";
import type { User } from "grammy/types";
import type { BotContext, TelegramDeps } from "../context.js";
import type { Reply } from "../../../core/types.js";
import { sanitizeText } from "../../../core/sanitize.js";
import { RATE_LIMITED } from "../../../core/assistant.js";
import { addressedText, commandOf, isAddressed } from "../addressing.js";
import { incomingOf, isGroupChat, targetOf, type ChatTarget } from "../conversation.js";
import { deliverReply, sendText } from "../reply.js";
import { escapeHtml } from "../render.js";
import { startTyping } from "../typing.js";
import { downloadTelegramFile, MAX_VOICE_BYTES, MAX_VOICE_SECONDS } from "../transcriber.js";
import { T } from "../texts.js";

export interface AskOptions {
  from: User | undefined;
  /** In groups the answer replies to the question's message. */
  replyTo?: number;
  /** HTML shown above the answer (voice transcript, the pressed example question). */
  prefixHtml?: string;
}

/**
 * One question through the core: "typing…", assistant.ask, then the rendered answer with its
 * keyboard. Whatever fails, the mayor gets a German reply and the question is kept.
 */
export async function answerQuestion(ctx: BotContext, deps: TelegramDeps, target: ChatTarget, text: string, opts: AskOptions): Promise<Reply> {
  const inc = incomingOf(target, opts.from, text, ctx.update.update_id);
  const typing = startTyping(ctx.api, target, ctx.log);
  let reply: Reply;
  try {
    reply = await deps.core.assistant.ask(inc);
  } finally {
    await typing.stop();
  }
  // "Diese Nachricht habe ich nicht beantwortet" must say which one: after twelve quick questions the person could not
  // tell which two to send again (user test). It answers the message itself, in a private chat too.
  const replyTo = opts.replyTo ?? (reply.reasons.includes(RATE_LIMITED) && ctx.msg ? ctx.msg.message_id : undefined);
  await deliverReply(deps, ctx.api, ctx.log, target, reply, { inc, prefixHtml: opts.prefixHtml, replyTo });
  return reply;
}

/** Questions: private text, addressed group text, /frage, and voice messages. */
export function askFeature(deps: TelegramDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.command("frage", async (ctx) => {
    const target = targetOf(ctx.msg);
    const replyTo = target.isGroup ? ctx.msg.message_id : undefined;
    const question = ctx.match.trim();
    if (!question) {
      await sendText(ctx.api, target, T.frageUsage, { replyTo });
      return;
    }
    await answerQuestion(ctx, deps, target, question, { from: ctx.from, replyTo });
  });

  c.on("message:text", async (ctx, next) => {
    // Commands that no feature knew go on to the "unknown command" hint.
    if (commandOf(ctx.msg)) return next();
    const target = targetOf(ctx.msg);
    if (ctx.chat.type === "private") {
      await answerQuestion(ctx, deps, target, ctx.msg.text, { from: ctx.from });
      return;
    }
    if (!isGroupChat(ctx.chat)) return;
    const question = addressedText(ctx.msg, ctx.me);
    // Not addressed: the group is talking among itself. Stay silent.
    if (question === undefined) return;
    await answerQuestion(ctx, deps, target, question, { from: ctx.from, replyTo: ctx.msg.message_id });
  });

  // A photo or document with a caption ("Ist das förderfähig?"): the caption is the question. The picture
  // itself is not read, and the answer says so.
  c.on(["message:photo", "message:document"], async (ctx, next) => {
    const msg = ctx.msg;
    if (!msg.caption?.trim() || commandOf(msg)) return next();
    const target = targetOf(msg);
    const question = target.isGroup ? addressedText(msg, ctx.me) : msg.caption;
    if (question === undefined) return next();
    const reply = await answerQuestion(ctx, deps, target, question, {
      from: ctx.from,
      replyTo: target.isGroup ? msg.message_id : undefined,
      prefixHtml: `<i>${escapeHtml(T.captionOnly)}</i>`,
    });
    // Staff see on the Vorgang that a file came with it and where it is not.
    if (reply.ticket) {
      const what = msg.document ? `die Datei „${msg.document.file_name ?? "ohne Namen"}“` : "ein Foto";
      await deps.core.store.addTicketMessage(reply.ticket.id, { from: "system", text: T.fileNotPassedOn(what) }).catch((err) => ctx.log.warn({ err }, "file note not kept"));
    }
  });

  c.on("message:voice", async (ctx) => {
    const msg = ctx.msg;
    const target = targetOf(msg);
    if (target.isGroup && !isAddressed(msg, ctx.me)) return;
    const replyTo = target.isGroup ? msg.message_id : undefined;
    if (!deps.transcriber) {
      await sendText(ctx.api, target, `${T.unsupported.voice} ${T.canHandle(false)}`, { replyTo });
      return;
    }
    if (msg.voice.duration > MAX_VOICE_SECONDS || (msg.voice.file_size ?? 0) > MAX_VOICE_BYTES) {
      await sendText(ctx.api, target, T.voiceTooLong, { replyTo });
      return;
    }
    const typing = startTyping(ctx.api, target, ctx.log);
    let transcript = "";
    try {
      const file = await ctx.api.getFile(msg.voice.file_id);
      if (!file.file_path) throw new Error("getFile returned no file_path");
      const audio = await downloadTelegramFile(deps.apiRoot, deps.token, file.file_path);
      transcript = sanitizeText(await deps.transcriber.transcribe(audio, "sprachnachricht.ogg")).text;
    } catch (err) {
      ctx.log.warn({ err }, "voice message could not be transcribed");
    } finally {
      await typing.stop();
    }
    if (!transcript) {
      await sendText(ctx.api, target, T.voiceFailed, { replyTo });
      return;
    }
    ctx.log.debug({ chars: transcript.length }, "voice transcribed");
    await answerQuestion(ctx, deps, target, transcript, { from: ctx.from, replyTo, prefixHtml: `<i>${escapeHtml(T.transcript(transcript))}</i>` });
  });

  return c;
}
