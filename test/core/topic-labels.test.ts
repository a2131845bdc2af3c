import { describe, expect, it } from "vitest";
import { topicLabel } from "../../src/core/topic-labels.js";

describe("topic labels", () => {
  it("names the knowledge's own topics in German", () => {
    expect(topicLabel("aktion_mensch")).toBe("Aktion Mensch");
    expect(topicLabel("steuer")).toBe("Steuerliche Pauschalen");
  });

  it("shows a topic staff typed with its umlauts again, and leaves au/eu/qu alone", () => {
    expect(topicLabel("foerderung")).toBe("Förderung");
    expect(topicLabel("dorf_fest")).toBe("Dorf fest");
    expect(topicLabel("gruenpflege")).toBe("Grünpflege");
    expect(topicLabel("spaete_anmeldung")).toBe("Späte anmeldung");
    expect(topicLabel("feuerwehr")).toBe("Feuerwehr");
    expect(topicLabel("mauerbau")).toBe("Mauerbau");
    expect(topicLabel("quellen")).toBe("Quellen");
    expect(topicLabel("steuern")).toBe("Steuern");
  });
});
