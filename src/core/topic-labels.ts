/** German names of knowledge topics, for digests and staff statistics. */
export const TOPIC_LABELS: Record<string, string> = {
  hse_projekt: "Projekt „Hauptamt stärkt Ehrenamt“",
  leader: "LEADER-Förderung",
  buergerprojekte: "Ehrenamtliche Bürgerprojekte",
  regionalbudget: "Regionalbudget",
  dorferneuerung: "Dorferneuerung",
  dorfmoderation: "Dorfmoderation",
  dorfwettbewerb: "Dorfwettbewerb",
  ehrenamtsfoerderung: "Ehrenamtsförderung",
  ehrenamtskarte: "Ehrenamtskarte",
  dsee: "Deutsche Stiftung für Engagement und Ehrenamt",
  stiftungen: "Stiftungen",
  kreisstiftung: "Kreisstiftung",
  sparkasse: "Sparkasse",
  lotterie: "Lotterien",
  aktion_mensch: "Aktion Mensch",
  buergerbus: "Bürgerbus",
  mitfahrbank: "Mitfahrbank",
  mobilitaet: "Mobilität",
  dorfladen: "Dorfladen",
  nahversorgung: "Nahversorgung",
  senioren: "Ältere Menschen",
  pflege: "Pflege",
  nachbarschaftshilfe: "Nachbarschaftshilfe",
  interkommunal: "Interkommunale Zusammenarbeit",
  versicherung: "Versicherungsschutz",
  unfallversicherung: "Unfallversicherung",
  sammelversicherung: "Sammelversicherung des Landes",
  haftpflicht: "Haftpflicht",
  kfz: "Privatauto im Ehrenamt",
  dorffest: "Dorffest",
  veranstaltung: "Veranstaltungen",
  arbeitsschutz: "Arbeitsschutz",
  ortsbuergermeister: "Das Amt der Ortsbürgermeisterin/des Ortsbürgermeisters",
  gemo: "Gemeindeordnung",
  aufwandsentschaedigung: "Aufwandsentschädigung",
  steuer: "Steuerliche Pauschalen",
  demografie: "Demografie",
  landkreis: "Landkreis Trier-Saarburg",
  best_practice: "Gute Beispiele aus Dörfern",
  jugend: "Jugend",
  digitales_dorf: "Digitales Dorf",
  engagement_gewinnen: "Engagierte gewinnen",
};

/**
 * A topic's German name. One staff typed themselves ("Förderung") is stored folded ("foerderung"): shown again with its
 * umlauts and a capital (user test: the digest read "Thema „foerderung“"). "ue" after a, e or q is no ü ("Steuer",
 * "Bauer", "Quelle").
 */
export function topicLabel(slug: string): string {
  const known = TOPIC_LABELS[slug];
  if (known) return known;
  const words = slug.split("_").filter(Boolean).map((w) => w.replace(/ae/g, "ä").replace(/oe/g, "ö").replace(/(?<![aeqAEQ])ue/g, "ü"));
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(" ");
}
