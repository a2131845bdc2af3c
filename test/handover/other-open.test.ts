import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HandoverService } from "../../src/handover/handover-service.js";
import { Delivery } from "../../src/delivery/delivery.js";
import { sqliteStore } from "../../src/store/sql-store.js";
import type { Store, TicketInput } from "../../src/store/store.js";
import { silentLog } from "../support/core.js";

let store: Store;
beforeAll(async () => {
  store = sqliteStore(":memory:");
  await store.migrate();
});
afterAll(async () => store.close());

// Words the knowledge uses everywhere tell nothing about a matter; any other word does.
const COMMON = new Set(["lead", "dorf", "gemeind", "geld"]);
const service = () => new HandoverService(store, new Delivery(store, silentLog), silentLog, (t) => !COMMON.has(t));
const input = (who: string, question: string): TicketInput => ({
  channel: "web", conversationId: who, userId: who, question, reason: "low_confidence", topics: [], context: [], passages: [],
}) as unknown as TicketInput;

describe("'Ihre Anfrage Nr. X bleibt daneben offen' only under a message that may belong to it", () => {
  it("a message with only common nouns of its own is a matter of its own", async () => {
    const h = service();
    await h.open(input("a", "Wie hoch ist meine Aufwandsentschädigung als Ortsbürgermeister?"));
    const next = await h.open(input("a", "Was ist eigentlich LEADER und kann unser Dorf da mitmachen?"));
    expect(next.isNew).toBe(true);
    expect(next.otherOpen).toBeUndefined();
  });

  it("shares a common noun with the open one, or has no noun at all: it may belong", async () => {
    const h = service();
    const first = await h.open(input("b", "Bekommt unser Dorf Geld aus LEADER für den Dorfplatz?"));
    const second = await h.open(input("b", "Und was ist mit LEADER im Dorf?"));
    expect(second.otherOpen).toBe(first.ticket.id);
    // The newest open Vorgang is the one named.
    expect((await h.open(input("b", "und bis wann?"))).otherOpen).toBe(second.ticket.id);
  });

  it("a follow-up without nouns right after the open Vorgang's own message joins it", async () => {
    const h = service();
    const first = await h.open(input("c", "Wann kommt bei uns in Trassem endlich Glasfaser?"));
    const follow = await h.open({ ...input("c", "und bis wann?"), context: [{ role: "mayor", text: "Wann kommt bei uns in Trassem endlich Glasfaser?" }, { role: "bot", text: "…" }] } as TicketInput);
    expect(follow.isNew).toBe(false);
    expect(follow.ticket.id).toBe(first.ticket.id);
    // After another question in between it is a matter of its own again (with the hint).
    const later = await h.open({ ...input("c", "und bis wann?"), context: [{ role: "mayor", text: "Was ist die Ehrenamtskarte?" }, { role: "bot", text: "…" }] } as TicketInput);
    expect(later.isNew).toBe(true);
    expect(later.otherOpen).toBe(first.ticket.id);
  });

  it("a follow-up the understanding read with the Vorgang's own message joins it, even with a noun of its own", async () => {
    const h = service();
    const first = await h.open(input("e", "Sind die Helfer beim Arbeitseinsatz am Friedhof unfallversichert?"));
    const before = [{ role: "mayor" as const, text: "Sind die Helfer beim Arbeitseinsatz am Friedhof unfallversichert?" }, { role: "bot" as const, text: "…" }];
    const follow = await h.open({ ...input("e", "und auf dem heimweg?"), context: before, followsUp: true } as TicketInput);
    expect(follow.isNew).toBe(false);
    expect(follow.ticket.id).toBe(first.ticket.id);
    // Without that reading, a noun of its own makes it a matter of its own.
    const own = await h.open({ ...input("e", "und auf dem heimweg?"), context: before } as TicketInput);
    expect(own.isNew).toBe(true);
  });

  it("a one-word message names a matter of its own, however short", async () => {
    const h = service();
    await h.open(input("d", "Dorferneuerung?"));
    const gema = await h.open({ ...input("d", "GEMA?"), context: [{ role: "mayor", text: "Dorferneuerung?" }, { role: "bot", text: "…" }] } as TicketInput);
    expect(gema.isNew).toBe(true);
    expect(gema.otherOpen).toBeUndefined();
  });
});
