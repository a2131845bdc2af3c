import OpenAI, { toFile } from "openai";

/** Turns a voice message into text. */
export interface Transcriber {
  transcribe(audio: Buffer, fileName: string): Promise<string>;
}

/** Largest voice file we download (the Bot API's getFile limit is 20 MB). */
export const MAX_VOICE_BYTES = 20 * 1024 * 1024;
/** Longest voice message we transcribe; longer ones get a German hint instead. */
export const MAX_VOICE_SECONDS = 300;

/**
 * Transcription through any OpenAI-compatible /audio/transcriptions endpoint (OpenAI, Azure, a
 * self-hosted whisper server), with the same base URL and key as the chat model.
 */
export class OpenAITranscriber implements Transcriber {
  private client: OpenAI;
  private model: string;

  constructor(opts: { apiKey: string; baseURL?: string; model: string; timeoutMs: number; maxRetries: number }) {
    this.client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, timeout: opts.timeoutMs, maxRetries: opts.maxRetries });
    this.model = opts.model;
  }

  async transcribe(audio: Buffer, fileName: string): Promise<string> {
    const res = await this.client.audio.transcriptions.create({
      file: await toFile(audio, fileName, { type: "audio/ogg" }),
      model: this.model,
      language: "de",
    });
    return res.text.trim();
  }
}

/** Downloads a file the Bot API told us about (getFile → file_path). */
export async function downloadTelegramFile(apiRoot: string, token: string, filePath: string, timeoutMs = 30_000): Promise<Buffer> {
  const res = await fetch(`${apiRoot}/file/bot${token}/${filePath}`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`file download failed with HTTP ${res.status}`);
  const len = Number(res.headers.get("content-length") ?? 0);
  if (len > MAX_VOICE_BYTES) throw new Error("file too large");
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > MAX_VOICE_BYTES) throw new Error("file too large");
  return buf;
}
