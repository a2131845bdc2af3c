import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageUpdate, textUpdate, type Person } from "../../support/telegram-api.js";
import { startFakeOpenAI } from "../../support/fake-openai.js";
import { telegramHarness, type Harness } from "./harness.js";

let nextUser = 9000;
const person = (): Person => ({ id: nextUser++, first_name: "Otto", last_name: "Ortsbürgermeister" });
const voice = (fileId: string, duration = 4) => ({ voice: { file_id: fileId, file_unique_id: `u${fileId}`, duration, mime_type: "audio/ogg", file_size: 15 } });

describe("Telegram voice messages with transcription configured", () => {
  let h: Harness;
  let llm: Awaited<ReturnType<typeof startFakeOpenAI>>;
  beforeAll(async () => {
    llm = await startFakeOpenAI();
    llm.setFallback({ kind: "answer", content: "Ja. Helfer im Auftrag der Gemeinde sind über die Unfallkasse versichert [1]." });
    h = await telegramHarness({ OPENAI_BASE_URL: llm.baseURL, OPENAI_API_KEY: "sk-test", OPENAI_TRANSCRIPTION_MODEL: "whisper-1" });
  });
  afterAll(async () => {
    await h.close();
    await llm.close();
  });

  it("downloads the voice file, transcribes it, shows „Verstanden: …“ and answers it", async () => {
    const p = person();
    h.api.addFile("voice-1", Buffer.from("OggS fake audio bytes"));
    llm.enqueue({ kind: "transcription", text: "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?" });
    await h.send(messageUpdate(voice("voice-1"), { from: p }));

    expect(h.api.callsTo("getFile").at(-1)!.body.file_id).toBe("voice-1");
    const tr = llm.requests.find((r) => r.path.endsWith("/audio/transcriptions"));
    expect(tr).toBeDefined();
    expect(String(tr!.body)).toContain("whisper-1");
    expect(String(tr!.body)).toContain("OggS fake audio bytes");

    const [answer] = h.api.sent(p.id);
    expect(answer.body.text).toMatch(/^<i>Verstanden: „Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert\?“<\/i>\n\n/);
    expect(answer.body.text).toContain("Unfallkasse versichert [1]");
    expect(answer.body.reply_markup.inline_keyboard).toHaveLength(2);
    const [turn] = await h.core.store.recentTurns("telegram", String(p.id), 1);
    expect(turn.question).toBe("Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?");
  });

  it("escapes the transcript", async () => {
    const p = person();
    h.api.addFile("voice-2", Buffer.from("OggS"));
    llm.enqueue({ kind: "transcription", text: "Gilt das Formular mit <Name> & <Ort> auch für Vereine?" });
    await h.send(messageUpdate(voice("voice-2"), { from: p }));
    const [answer] = h.api.sent(p.id);
    expect(answer.response.ok).toBe(true);
    expect(answer.body.text).toContain("Verstanden: „Gilt das Formular mit &lt;Name&gt; &amp; &lt;Ort&gt; auch für Vereine?“");
  });

  it("says so in German when the transcription fails, and hands nothing half-understood to the core", async () => {
    const p = person();
    h.api.addFile("voice-3", Buffer.from("OggS"));
    llm.enqueue({ kind: "status", status: 400 });
    await h.send(messageUpdate(voice("voice-3"), { from: p }));
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("Ich konnte Ihre Sprachnachricht leider nicht verstehen");
    expect(await h.core.store.recentTurns("telegram", String(p.id), 1)).toHaveLength(0);
  });

  it("refuses voice messages longer than five minutes without downloading them", async () => {
    const p = person();
    const before = h.api.callsTo("getFile").length;
    await h.send(messageUpdate(voice("voice-4", 301), { from: p }));
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("zu lang");
    expect(h.api.callsTo("getFile")).toHaveLength(before);
  });
});

describe("Telegram messages the bot cannot read", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await telegramHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ["voice (no transcription configured)", voice("v"), "Sprachnachrichten kann ich leider noch nicht anhören."],
    ["photo", { photo: [{ file_id: "p", file_unique_id: "p", width: 90, height: 90 }] }, "Fotos kann ich leider nicht ansehen."],
    ["sticker", { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }, "Danke für den Sticker!"],
    ["document", { document: { file_id: "d", file_unique_id: "d", file_name: "antrag.pdf" } }, "Dateien kann ich leider nicht öffnen."],
    ["location", { location: { latitude: 49.75, longitude: 6.64 } }, "Standorte kann ich leider nicht auswerten."],
    ["video", { video: { file_id: "v", file_unique_id: "v", width: 1, height: 1, duration: 3 } }, "Videos kann ich leider nicht ansehen."],
    ["contact", { contact: { phone_number: "+49", first_name: "X" } }, "Kontakte kann ich nicht verarbeiten."],
  ];
  for (const [name, fields, expected] of cases) {
    it(`answers a ${name} with a short German hint on what it can read`, async () => {
      const p = person();
      await h.send(messageUpdate(fields, { from: p }));
      const [msg] = h.api.sent(p.id);
      expect(msg.body.text).toContain(expected);
      expect(msg.body.text).toContain("Ich verstehe Textnachrichten. Bitte schreiben Sie Ihre Frage als Text.");
    });
  }

  it("answers the caption of a photo, and says the picture itself is not read", async () => {
    const p = person();
    await h.send(messageUpdate({ photo: [{ file_id: "p2", file_unique_id: "p2", width: 90, height: 90 }], caption: "Sind Helfer bei Arbeitseinsätzen der Gemeinde unfallversichert?" }, { from: p }));
    const [msg] = h.api.sent(p.id);
    expect(msg.body.text).toContain("Das Bild oder die Datei selbst kann ich nicht ansehen und auch nicht an das Team weitergeben.");
    expect(msg.body.text).toMatch(/Unfallkasse/);
    expect(msg.body.text).not.toContain("Fotos kann ich leider nicht ansehen.");
  });

  it("a file sent 'for review' is handed over with its caption; the Vorgang says the file did not come along", async () => {
    const p = person();
    await h.send(messageUpdate({ document: { file_id: "d1", file_unique_id: "d1", file_name: "Antrag_Dorferneuerung.pdf", mime_type: "application/pdf" }, caption: "Können Sie mal drüberschauen?" }, { from: p }));
    const [msg] = h.api.sent(p.id);
    expect(msg.body.text).toContain("auch nicht an das Team weitergeben");
    const ticket = await h.core.store.findOpenTicket("telegram", String(p.id), String(p.id));
    expect(ticket!.messages.map((m) => m.text)).toContain("Mit der Frage kam die Datei „Antrag_Dorferneuerung.pdf“. Der Ortslotse gibt Dateien nicht weiter; wird sie gebraucht, bitte die Person darum bitten (z. B. per E-Mail).");
  });

  it("ignores edited messages and channel posts on purpose", async () => {
    const p = person();
    const edited = textUpdate("Sind Helfer versichert?", { from: p }) as any;
    edited.edited_message = { ...edited.message, edit_date: 2 };
    delete edited.message;
    await h.send(edited);
    await h.send({ update_id: 99_500, channel_post: { message_id: 1, date: 1, chat: { id: -100777, type: "channel", title: "Kanal" }, text: "Neuigkeiten" } });
    expect(h.api.calls.filter((c) => c.body?.chat_id === p.id || c.body?.chat_id === -100777)).toHaveLength(0);
  });

  it("answers an empty-looking message (only invisible characters) with the core's German prompt", async () => {
    const p = person();
    await h.send(textUpdate("\u200B\u200B ", { from: p }));
    expect(h.api.sent(p.id).at(-1)!.body.text).toContain("Ich habe keinen Text erhalten");
  });
});
