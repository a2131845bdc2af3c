import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  path: string;
  body: any;
  headers: IncomingMessage["headers"];
}

export type Behaviour =
  | { kind: "answer"; content: string }
  | { kind: "status"; status: number; headers?: Record<string, string> }
  | { kind: "hang" }
  | { kind: "garbage" }
  | { kind: "embeddings"; dims: number }
  | { kind: "transcription"; text: string };

/**
 * A local OpenAI-compatible server with the real response shapes, so tests run the real `openai`
 * client: chat completions, embeddings, audio transcriptions, and failure modes.
 */
export async function startFakeOpenAI() {
  const requests: RecordedRequest[] = [];
  const queue: Behaviour[] = [];
  let fallback: Behaviour = { kind: "answer", content: "Antwort [1]." };
  const hanging: ServerResponse[] = [];

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    let body: any = raw.toString("utf8");
    if ((req.headers["content-type"] ?? "").includes("json")) {
      try {
        body = JSON.parse(body);
      } catch {
        /* keep raw */
      }
    }
    requests.push({ path: req.url ?? "", body, headers: req.headers });
    const b = queue.shift() ?? fallback;
    const json = (status: number, obj: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(obj));
    };
    if (b.kind === "hang") {
      hanging.push(res);
      return;
    }
    if (b.kind === "status") return json(b.status, { error: { message: "fake failure", type: "server_error" } }, b.headers);
    if (b.kind === "garbage") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end("{not json");
    }
    if (req.url?.includes("/embeddings")) {
      const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
      const dims = b.kind === "embeddings" ? b.dims : 8;
      return json(200, {
        object: "list",
        model: body.model,
        data: inputs.map((t, index) => ({
          object: "embedding",
          index,
          embedding: Array.from({ length: dims }, (_, i) => ((t.length * (i + 1)) % 7) / 7 + 0.01),
        })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    }
    if (req.url?.includes("/audio/transcriptions")) {
      return json(200, { text: b.kind === "transcription" ? b.text : "Transkript" });
    }
    const content = b.kind === "answer" ? b.content : "Antwort [1].";
    return json(200, {
      id: "chatcmpl-test",
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: body?.model ?? "test",
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    /** Forget queued responses and recorded requests (between tests). */
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    /** Next responses, in order; after that the fallback. */
    enqueue: (...b: Behaviour[]) => queue.push(...b),
    setFallback: (b: Behaviour) => {
      fallback = b;
    },
    close: async () => {
      for (const h of hanging) h.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
