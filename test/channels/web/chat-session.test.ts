import { MSG } from "../../../src/core/messages.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../support/core.js";
import { webSessionId } from "../../support/web-session.js";

type App = Awaited<ReturnType<typeof startApp>>;

async function call(app: App, path: string, cookie?: string, body?: unknown) {
  const res = await fetch(app.baseUrl + path, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const set = res.headers.getSetCookie().find((c) => c.startsWith("ortslotse_chat="))?.split(";")[0];
  return { json: (await res.json()) as { items?: { text: string; ticket?: number; newTicket?: boolean; sources?: { title: string }[]; turnId?: number; offerFeedback?: boolean }[]; ticket?: number; newTicket?: boolean; turnId?: number; action?: string }, set };
}

describe("web chat session cookie", () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => app?.cleanup());

  it("accepts only ids the server signed: a known or guessed id does not open another person's chat", async () => {
    const first = await call(app, "/api/chat", undefined, { text: "Wer zahlt die Unfallversicherung für Helfer?" });
    const cookie = first.set!;
    const id = webSessionId(cookie);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    // The owner sees the history with the signed cookie …
    const own = await call(app, "/api/chat/history", cookie);
    expect(own.set).toBeUndefined();
    expect(own.json.items?.map((i) => i.text).join(" ")).toContain("Unfallversicherung");
    // … someone with the bare id, or the id with a made-up signature, gets a fresh empty chat.
    for (const forged of [`ortslotse_chat=${id}`, `ortslotse_chat=${id}.${"A".repeat(43)}%3D`]) {
      const other = await call(app, "/api/chat/history", forged);
      expect(other.set).toBeDefined();
      expect(other.set).not.toContain(id);
      expect(other.json.items ?? []).toEqual([]);
    }
  });
});

describe("web chat after a reload", () => {
  it("keeps the passages a hand-over offered meanwhile ('Vielleicht hilft das schon')", async () => {
    const app = await startApp({ KNOWLEDGE_DIR: "knowledge" });
    try {
      const first = await call(app, "/api/chat", undefined, { text: "Welche Windkraftanlagen sind in der VG Ruwer geplant?" });
      const live = first.json as { action?: string; sources?: { title: string }[] };
      expect(live.action).toBe("handover");
      expect(live.sources?.length).toBeGreaterThan(0);
      const history = await call(app, "/api/chat/history", first.set!);
      const restored = (history.json.items as { action?: string; sources?: { title: string }[]; sourcesHeading?: string }[] | undefined)?.find((i) => i.action === "handover");
      expect(restored?.sources?.map((x) => x.title)).toEqual(live.sources!.map((x) => x.title));
      expect(restored?.sourcesHeading).toBe(MSG.sourcesHeading("handover"));
    } finally {
      await app.cleanup();
    }
  });

  it("brings back the contact form of a Vorgang still without name and Ortsgemeinde, and not once they are given", async () => {
    const app = await startApp();
    try {
      const first = await call(app, "/api/chat", undefined, { text: "Unser Zuschuss vom Land ist immer noch nicht überwiesen, was ist da los?" });
      const cookie = first.set!;
      expect(first.json.newTicket).toBe(true);
      const ticket = first.json.ticket!;
      const before = await call(app, "/api/chat/history", cookie);
      expect(before.json.items?.find((i) => i.ticket === ticket)?.newTicket).toBe(true);
      await call(app, "/api/chat/contact", cookie, { ticketId: ticket, name: "Maria Muster", village: "Testdorf" });
      const after = await call(app, "/api/chat/history", cookie);
      expect(after.json.items?.some((i) => i.ticket !== undefined)).toBe(false);
    } finally {
      await app.cleanup();
    }
  });
});

describe("web chat: a team answer to one question of two", () => {
  it("stands under the message it came from after every reload, not at the end again", async () => {
    const app = await startApp({ KNOWLEDGE_DIR: "knowledge" });
    try {
      const first = await call(app, "/api/chat", undefined, { text: "Wie hoch ist die Ehrenamtspauschale? Und wer mäht bei uns den Sportplatz?" });
      const cookie = first.set!;
      expect(first.json.action).toBe("answer");
      const id = first.json.ticket!;
      expect(id).toBeGreaterThan(0);
      expect((await app.core.store.getTicket(id))!.question).not.toBe("Wie hoch ist die Ehrenamtspauschale? Und wer mäht bei uns den Sportplatz?");
      await call(app, "/api/chat", cookie, { text: "Was ist die Ehrenamtskarte?" });
      expect((await app.core.handover.answer(id, "Frau Schuh", "Den Sportplatz mäht der Sportverein.")).delivered).toBe(true);
      // Arrived while away: once at the end; from then on under its message (place 2), on every reload.
      const texts = (await call(app, "/api/chat/history", cookie)).json.items!.map((i) => i.text);
      expect(texts.at(-1)).toContain("Den Sportplatz mäht der Sportverein.");
      for (let i = 0; i < 2; i++) {
        const later = (await call(app, "/api/chat/history", cookie)).json.items!.map((x) => x.text);
        expect(later.findIndex((t) => t.includes("Den Sportplatz mäht der Sportverein."))).toBe(2);
        expect(later.filter((t) => t.includes("Den Sportplatz mäht der Sportverein."))).toHaveLength(1);
      }
    } finally {
      await app.cleanup();
    }
  });
});

describe("web chat: who asks is said once", () => {
  it("a Vorgang from 👎 or from the button for a person gets the name and Ortsgemeinde given before, without the form", async () => {
    const app = await startApp();
    try {
      const first = await call(app, "/api/chat", undefined, { text: "Unser Zuschuss vom Land ist immer noch nicht überwiesen, was ist da los?" });
      const cookie = first.set!;
      await call(app, "/api/chat/contact", cookie, { ticketId: first.json.ticket!, name: "Maria Muster", village: "Testdorf" });
      const answered = await call(app, "/api/chat", cookie, { text: "Wer zahlt, wenn sich ein Helfer beim Rasenmähen verletzt?" });
      expect(answered.json.action).toBe("answer");
      const down = await call(app, "/api/chat/feedback", cookie, { turnId: answered.json.turnId, value: -1 });
      expect(down.json.action).toBe("handover");
      expect(down.json.newTicket).toBe(false);
      expect(await app.core.store.getTicket(down.json.ticket!)).toMatchObject({ userName: "Maria Muster", village: "Testdorf" });
      const person = await call(app, "/api/chat/handover", cookie, {});
      expect(person.json.newTicket).toBe(false);
      expect(await app.core.store.getTicket(person.json.ticket!)).toMatchObject({ userName: "Maria Muster", village: "Testdorf" });
    } finally {
      await app.cleanup();
    }
  });
});

describe("web chat: a Vorgang staff closed without writing here", () => {
  it("keeps its notice in the chat after a reload, under its question", async () => {
    const app = await startApp();
    try {
      const first = await call(app, "/api/chat", undefined, { text: "Unser Zuschuss vom Land ist immer noch nicht überwiesen, was ist da los?" });
      const cookie = first.set!;
      await app.core.handover.close(first.json.ticket!, "Frau Schuh");
      const seen = (await call(app, "/api/chat/history", cookie)).json.items!.map((i) => i.text);
      expect(seen.filter((t) => t === MSG.closedWithoutAnswer(first.json.ticket!, "Unser Zuschuss vom Land ist immer noch nicht überwiesen, was ist da los?")).length).toBe(1);
      // Read once, it is still there on the next visit, under the question it closes.
      const later = (await call(app, "/api/chat/history", cookie)).json.items!.map((i) => i.text);
      expect(later.indexOf(MSG.closedWithoutAnswer(first.json.ticket!, "Unser Zuschuss vom Land ist immer noch nicht überwiesen, was ist da los?"))).toBe(2);
    } finally {
      await app.cleanup();
    }
  });
});

describe("web chat: a team answer that came while the browser was closed", () => {
  it("stands at the end after the reload, where the phone opens, and under its question from then on", async () => {
    const app = await startApp({ KNOWLEDGE_DIR: "knowledge" });
    try {
      const first = await call(app, "/api/chat", undefined, { text: "Unser Zuschuss vom Land ist immer noch nicht überwiesen, was ist da los?" });
      const cookie = first.set!;
      await call(app, "/api/chat", cookie, { text: "Wie hoch ist die Ehrenamtspauschale?" });
      expect((await app.core.handover.answer(first.json.ticket!, "Frau Schuh", "Die Auszahlung ist angewiesen.")).delivered).toBe(true);
      const texts = (await call(app, "/api/chat/history", cookie)).json.items!.map((i) => i.text);
      expect(texts.at(-1)).toContain("Die Auszahlung ist angewiesen.");
      expect(texts.filter((t) => t.includes("Die Auszahlung ist angewiesen.")).length).toBe(1);
      // Seen once, it stands under the question it answers.
      const later = (await call(app, "/api/chat/history", cookie)).json.items!.map((i) => i.text);
      expect(later.findIndex((t) => t.includes("Die Auszahlung ist angewiesen."))).toBe(2);
    } finally {
      await app.cleanup();
    }
  });
});

describe("web chat: who asks is said once", () => {
  it("holds for every open Vorgang of the chat, and a later Vorgang gets it without the form", async () => {
    const app = await startApp();
    try {
      const first = await call(app, "/api/chat", undefined, { text: "Unser Zuschuss vom Land ist immer noch nicht überwiesen, was ist da los?" });
      const cookie = first.set!;
      const second = await call(app, "/api/chat", cookie, { text: "Und unser Antrag auf die Dorfmoderation von März ist auch noch nicht beschieden. Können Sie nachfragen?" });
      expect(second.json.newTicket).toBe(true);
      const thanks = await call(app, "/api/chat/contact", cookie, { ticketId: second.json.ticket!, name: "Maria Muster", village: "Testdorf" });
      expect((thanks.json as { text?: string }).text).toContain(`den Vorgängen Nr. ${first.json.ticket} und ${second.json.ticket}`);
      for (const id of [first.json.ticket!, second.json.ticket!]) expect(await app.core.store.getTicket(id)).toMatchObject({ userName: "Maria Muster", village: "Testdorf" });
      const third = await call(app, "/api/chat", cookie, { text: "Unsere Abrechnung für das Regionalbudget kam zurück, bitte schauen Sie sich das an." });
      expect(third.json.ticket).toBeDefined();
      expect(third.json.newTicket).toBe(false);
      expect(await app.core.store.getTicket(third.json.ticket!)).toMatchObject({ userName: "Maria Muster", village: "Testdorf" });
    } finally {
      await app.cleanup();
    }
  });
});

describe("web chat answers after a reload", () => {
  it("come back with their sources, and with the feedback buttons until feedback is given", async () => {
    const app = await startApp({ KNOWLEDGE_DIR: "knowledge" });
    try {
      const first = await call(app, "/api/chat", undefined, { text: "Wie hoch ist die Ehrenamtspauschale?" });
      expect(first.json.action).toBe("answer");
      const cookie = first.set!;
      const item = (await call(app, "/api/chat/history", cookie)).json.items!.find((i) => i.turnId === first.json.turnId)!;
      expect(item.sources?.map((x) => x.title).join(" ")).toMatch(/Ehrenamtspauschale/);
      expect(item.offerFeedback).toBe(true);
      await call(app, "/api/chat/feedback", cookie, { turnId: first.json.turnId, value: 1 });
      const again = (await call(app, "/api/chat/history", cookie)).json.items!.find((i) => i.turnId === first.json.turnId)!;
      expect(again.offerFeedback).toBe(false);
      // The Förder-Finder's list names programmes, not passages: they come back too.
      const list = await call(app, "/api/chat", cookie, { text: "Wir brauchen Geld für einen Dorftreff. Wer fördert das?" });
      expect(list.json.action).toBe("answer");
      const listed = (await call(app, "/api/chat/history", cookie)).json.items!.find((i) => i.turnId === list.json.turnId)!;
      expect(listed.sources?.map((x) => x.title).join(" ")).toMatch(/LEADER/);
    } finally {
      await app.cleanup();
    }
  });
});

describe("web chat cookie behind https", () => {
  it("uses the __Host- prefix (Secure, Path=/, this host only) and reads it back", async () => {
    const app = await startApp({ PUBLIC_URL: "https://ortslotse.example" });
    try {
      const first = await fetch(app.baseUrl + "/");
      const set = first.headers.getSetCookie().find((c) => c.includes("ortslotse_chat="))!;
      expect(set).toMatch(/^__Host-ortslotse_chat=.*Path=\/;.*Secure/);
      const again = await fetch(app.baseUrl + "/", { headers: { cookie: set.split(";")[0] } });
      expect(again.headers.getSetCookie().some((c) => c.includes("ortslotse_chat="))).toBe(false);
    } finally {
      await app.cleanup();
    }
  });
});
