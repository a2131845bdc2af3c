import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Socket } from "node:net";
import { startApp } from "../support/core.js";

type App = Awaited<ReturnType<typeof startApp>>;

/** A raw connection, so the test can send a request as slowly as an attacker would. */
function open(port: number): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (d) => (received += d.toString()));
    const closed = new Promise<string>((res) => socket.on("close", () => res(received)));
    socket.on("error", () => undefined);
    socket.once("connect", () => resolve({ socket, closed }));
    socket.once("error", reject);
  });
}

const slowPost = "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"text\":\"";

describe("slow clients and many connections from one address", () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ HTTP_REQUEST_TIMEOUT_SECONDS: "2", MAX_CONNECTIONS_PER_ADDRESS: "5" });
  });
  afterAll(async () => {
    await app?.cleanup();
  });

  it("cuts off a request body that trickles in, instead of holding the connection for ever", async () => {
    const { socket, closed } = await open(app.port);
    socket.write(slowPost);
    const trickle = setInterval(() => socket.writable && socket.write("a"), 200);
    const outcome = await Promise.race([closed.then((r) => ({ closed: true, r })), new Promise<{ closed: false }>((r) => setTimeout(() => r({ closed: false }), 8_000))]);
    clearInterval(trickle);
    socket.destroy();
    expect(outcome.closed).toBe(true);
    if (outcome.closed) expect(outcome.r).toMatch(/^HTTP\/1\.1 408|^$/);
  });

  it("refuses a sixth open connection from one address and serves again once one is closed", async () => {
    const held = await Promise.all(Array.from({ length: 5 }, () => open(app.port)));
    for (const h of held) h.socket.write("GET /health HTTP/1.1\r\nHost: x\r\n");
    const sixth = await open(app.port);
    sixth.socket.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await sixth.closed).toBe("");
    held[0].socket.destroy();
    await held[0].closed;
    const res = await fetch(`${app.baseUrl}/health`, { headers: { connection: "close" } });
    expect(res.status).toBe(200);
    for (const h of held) h.socket.destroy();
  });
});
