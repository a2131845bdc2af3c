import { normalize } from "../retrieval/german-text.js";

/**
 * Rule-based intent detection before retrieval. Rules are patterns over normalised German text;
 * each rule names its reason, so a decision can be explained to staff and tested.
 */
export type Intent =
  | { kind: "smalltalk"; type: "greeting" | "thanks" | "capabilities" | "goodbye" | "identity"; reasons: string[] }
  | { kind: "refuse"; type: "abuse" | "injection" | "other_users" | "political" | "illegal"; reasons: string[] }
  | { kind: "handover"; type: "person_requested" | "individual_case"; reasons: string[] }
  | { kind: "question"; reasons: string[] };

interface Rule {
  name: string;
  re: RegExp;
}

const r = (name: string, re: RegExp): Rule => ({ name, re });

const INJECTION: Rule[] = [
  r("injection:ignore-rules", /\b(ignorier\w*|vergiss|vergesse|missacht\w*|überschreib\w*|hebe?\s+\w*\s*auf)\b[^.?!]{0,60}\b(regeln|anweisungen|vorgaben|instruktionen|prompt|richtlinien|einschränkungen|befehle)\b/),
  r("injection:ignore-rules-en", /\b(ignore|disregard|forget)\b[^.?!]{0,40}\b(instructions|rules|prompt)\b/),
  r("injection:role-play", /\bdu bist (jetzt|ab sofort|nun)\b|\bab sofort bist du\b|\bspiel(e)? (die rolle|einen?)\b|\btu so,? als\b|\bstell dir vor,? du bist\b/),
  r("injection:developer-mode", /\b(entwicklermodus|developer ?mode|debug ?modus|jailbreak|dan[- ]modus|admin ?modus|godmode)\b/),
  r("injection:fake-system", /(^|\n|\s)(system|assistant|admin|developer)\s*:/),
  r("injection:markup", /(^|\n)\s*(#{2,}\s*(anweisung|instruktion|system|regel|instruction)|\[inst\]|<\|im_start\|>|<\/?system>)/),
  r("injection:roleplay", /\b(rollenspiel|keine regeln (kennt|hat|gelten)|ohne (regeln|einschränkungen|filter|zensur)|uneingeschränkt antwort\w*|alles beantwortet)\b/),
  r("injection:tags", /<\/?\s*(kontext|context|system|prompt|instructions?|anweisung\w*|regeln|rules)\s*>/),
  r("injection:new-rule", /\b(neue|geänderte|aktualisierte) (regel|anweisung|vorgabe|instruktion)\w*\b[^.?!]{0,30}\b(vom|von der|des) (administrator|admin|entwickler|betreiber|system)|\b(administrator|admin|entwickler)\s*:/),
  r("injection:english", /\b(pretend (to be|you are)|act as (a|an|my)|you are now|from now on you|system prompt|your instructions|roleplay as|jailbreak)\b/),
  r("injection:new-rules", /\b(ab (jetzt|sofort)|von nun an)\b[^.?!]{0,40}\b(antwortest du|sollst du|musst du|wirst du|du antwortest|du sollst|ohne quellen|nur noch)\b/),
  r("injection:reveal-prompt", /\b(zeig|gib|verrat|nenn|druck|wiederhol|ausgeben|gib\s+\w+\s+aus)\w*\b[^.?!]{0,50}\b(system ?prompt|prompt|deine anweisungen|deine regeln|deine instruktionen|konfiguration)\b|\b(system ?prompt|prompt|anweisungen)\b[^.?!]{0,30}\b(aus|ausgeben|verraten|zeigen)\b/),
];

const OTHER_USERS: Rule[] = [
  r("other_users:questions", /\b(was|welche fragen)\b[^.?!]{0,60}\b(andere[nrs]?|kollegen|ortsbürgermeister(in)?\s+(von|aus)|bürgermeister(in)?\s+(von|aus)|nutzer|leute)\b[^.?!]{0,60}\b(gefragt|geschrieben|wissen wollt\w*|fragen)\b/),
  r("other_users:show-chats", /\b(chatverl(ä|ae)uf\w*|gespräche? (der|von) ander\w*|verl(ä|ae)uf\w* (der|von) ander\w*|gespeicherten (chats|nachrichten|fragen|gespräche|verläufe)|alle (chats|nachrichten|fragen) (der|von|aller))\b/),
  r("other_users:logs", /\b(letzten|alle|gespeicherten|sämtliche|bisherigen)\s+(\d+\s+)?(chats|gespräche|unterhaltungen|anfragen|nachrichten|verläufe|chatverläufe|protokolle|logs)\b/),
  r("other_users:what-did-x-ask", /\bwas (hat|haben) (er|sie|der|die|mein\w*|unser\w*|\w+)\b[^.?!]{0,40}\b(dich|sie|euch|den bot|ortslotse)\b[^.?!]{0,40}\bgefragt\b|\bwas (hat|haben) [^.?!]{0,30}\b(dich|euch) [^.?!]{0,30}gefragt\b/),
  r("other_users:their-questions", /\bwelche (fragen|anfragen)\b[^.?!]{0,60}\b(gestellt|gefragt|geschrieben|eingereicht)\b|\b(fragen|anfragen|nachrichten|chats)\s+(von|der|des|aller)\s+(anderen|andere|kolleg\w*|bürgermeister\w*|ortsbürgermeister\w*|nutzer\w*)\b/),
  r("other_users:who-asked", /\b(zeig|gib|sag)\w*\b[^.?!]{0,40}\b(was|welche)\b[^.?!]{0,50}\b(gefragt hat|gefragt haben|geschrieben hat|gefragt hatte)\b/),
];

const ABUSE: Rule[] = [
  r("abuse:belittle", /\b(du (verstehst|kapierst|checkst|weißt) (ja |echt |wohl |doch )*(gar |überhaupt )?nichts|du taugst nichts|du bist (echt |total |völlig |so |doch )*(unfähig|nutzlos|strohdumm|lächerlich|peinlich|zu blöd))\b/),
  r("abuse:insult", /\b(vollpfosten|pfosten|honk|dödel|hirni|dummkopf|schwachkopf|volltrottel|vollidiot\w*|armleuchter|blödmann|saftladen|blöd\w*|doof\w*|dumm\w*|idiot\w*|depp\w*|trottel\w*|nutzlos\w*|scheiß\w*|scheiss\w*|mist ?ding|arschloch|vollidiot|bescheuert\w*|schwachsinn\w*|halt die (fresse|klappe)|verpiss\w*|wichser|penner|dreck(s| )?(ding|maschine|bot))\b/),
];

const POLITICAL: Rule[] = [
  r("political:campaign", /\b(wahlkampf\w*|wahlwerbung|wahlaufruf|wahlplakat\w*|wahlempfehlung)\b/),
  r("political:against-candidate", /\b(flyer|plakat|rede|text|brief|beitrag|post|artikel|aufruf)\b[^.?!]{0,60}\b(gegen|für) (den|die|unseren|unsere) (kandidat\w*|bewerber\w*|gegenkandidat\w*|partei|fraktion|wählergruppe|amtsinhaber\w*)\b/),
  r("political:party", /\b(welche partei|partei wählen|wen soll(en)? (ich|wir|man) wählen|(schreib|verfass|formulier)\w*[^.?!]{0,60}\b(cdu|spd|grüne[n]?|fdp|afd|linke[n]?|freie wähler|bsw)\b|\b(cdu|spd|grüne[n]?|fdp|afd|linke[n]?|bsw)\b[^.?!]{0,40}\b(besser|schlechter|wählen|hetz\w*))\b/),
];

const ILLEGAL: Rule[] = [
  // "umgehen" alone also means "deal with" ("wie soll ich mit ihm umgehen"): only with a rule as object.
  r("illegal:evade", /\b(regel\w*|vorschrift\w*|gesetz\w*|pflicht\w*|ausschreibung\w*|vergabe\w*|genehmigung\w*|verbot\w*|auflage\w*|datenschutz\w*|kommunalaufsicht)\b[^.?!]{0,40}\b(umgehen|umgehe|aushebeln|austricksen)\b|\b(umgehen|umgehe|aushebeln|austricksen)\b[^.?!]{0,20}\b(die|das|den)\s+(regel\w*|vorschrift\w*|gesetz\w*|pflicht\w*|ausschreibung\w*|vergabe\w*|genehmigung\w*|verbot\w*|auflage\w*)\b/),
  r("illegal:fraud", /\b(steuern? hinterzieh\w*|hinterziehen|vertuschen|verschleiern|fälsch\w*|gefälscht\w*|schwarz (auszahlen|bezahlen|arbeiten)|schwarzgeld|am finanzamt vorbei|ohne dass (es )?(jemand|die kommunalaufsicht|das finanzamt) (merkt|erfährt)|rechnung(en)? (frisieren|umschreiben|fälschen))\b/),
  r("illegal:backdate", /\b(zurückdatier\w*|rückdatier\w*|vordatier\w*|früher datier\w*)\b/),
  r("illegal:split-contract", /\b(aufteil\w*|teile|teilen|splitt\w*|stückel\w*)\b[^?!]{0,100}\b(nicht|kein\w*) (mehr )?(ausschreib\w*|europaweit|öffentlich ausschreib\w*)|\bdamit (wir|man|ich) (nicht|keine?) (ausschreib\w*|ausschreibung)/),
  r("illegal:fake-receipt", /\b(spendenquittung|spendenbescheinigung|zuwendungsbestätigung|quittung|rechnung)\w*\b[\s\S]{0,140}?\b(nie (bezahlt|geflossen|gegeben|eingegangen)|gar nicht|ohne (dass|gegenleistung)|obwohl|nie stattgefunden|keine spende)\b/),
  r("illegal:cash-no-invoice", /\b(bar auf die hand|ohne rechnung|schwarz(geld| bezahlt| arbeit\w*)?)\b[^?!]{0,80}\b(verbuchen|abrechnen|bezahlen|auszahlen|finanzamt|merkt)\b/),
  r("illegal:unnoticed", /\bohne dass (es )?(jemand |einer |keiner |wer )?(auffällt|merkt|mitbekommt|mitkriegt|erfährt|sieht)\b|\bzweckentfremd\w*|\bunter den tisch fallen\b/),
  r("illegal:kickback", /\b(schmiergeld|bestechung|bestechen|kickback|unter der hand)\b/),
];

const PERSON: Rule[] = [
  r("person:callback", /\b(zurückruf\w*|rückruf\w*|ruf(t|en sie)? mich\b[^.?!]{0,30}\ban|anruf(en)?\s+(sie|ihr)\b|melde[nt]? (sie )?sich (bitte )?bei mir|melden sie sich|kontaktier(en sie|t) mich|ruft mich|rufen sie mich|ruf mich)\b/),
  r("person:appointment", /\b(termin (vereinbaren|ausmachen|machen|bekommen)|einen termin|gesprächstermin|(gespräch|termin|treffen) mit (frau|herrn?)\b|persönlich(es)? (gespräch|sprechen|treffen|vorbei)|vor ort (treffen|vorbeikommen|besprechen))\b/),
  r("person:visit", /\b(jemand|einer|eine)\b[^.?!]{0,20}\b(von ihnen|von euch|vom team|aus dem team|von der kreisverwaltung|vom kreis)\b[^.?!]{0,60}\b(kommen|vorbeikommen|vorstellen|besuchen|teilnehmen)\b|\b(in|zu|bei) unsere[rnm]? (ratssitzung|gemeinderatssitzung|sitzung|versammlung|bürgerversammlung)\b[^.?!]{0,40}\b(kommen|vorbeikommen|vorstellen|referieren)\b/),
  r("person:forward", /\b(leiten sie|leite|weiterleiten|weitergeben|weitergegeben)\b[^.?!]{0,60}\b(sachbearbeiter\w*|mitarbeiter\w*|kolleg\w*|team|mensch\w*|zuständige\w*)\b/),
  r("person:word", /^\/?(mensch|menschen|team|person|mitarbeiter\w*|sachbearbeiter\w*|rückruf)[\s!.?]*$/),
  r("person:human", /\b(mit einem menschen|mit einer person|echten? (menschen|person|mitarbeiter\w*)|sachbearbeiter\w* sprechen|mitarbeiter\w* sprechen|jemand(en)? (vom|aus dem) (team|amt|kreis)|mensch(en)? sprechen|ansprechpartner\w* persönlich)\b/),
];

const INDIVIDUAL: Rule[] = [
  r("case:application-status", /\b(unser(en)?|mein(en)?)\b[^.?!]{0,40}\b(antrag|förderantrag|bescheid|förderbescheid|zuwendungsbescheid)\b[^?!]{0,110}\b(abgelehnt|stand|status|bearbeit\w*|entschieden|bewilligt|zugesagt|angekommen|eingegangen|warum|prüfen|wann)\b|\b(abgelehnt|warum)\b[^.?!]{0,60}\bunser(en)? (antrag|förderantrag)\b/),
  r("case:appeal", /\b(widerspruch|einspruch|klage|klagen|verklag\w*|anwalt|anwältin|rechtsanwalt|gericht\w*|rechtsstreit|abmahnung|schadenersatz ?forderung|droht mit)\b/),
  r("case:complaint", /\b(beschwer\w* sich|beschwert|streit mit|ärger mit|konflikt mit|zoff mit)\b/),
  r("case:named-person", /\b(herr[n]?|frau)\s+[A-ZÄÖÜ]?[a-zäöüß]{2,}\b[^.?!]{0,60}\b(adresse|telefon\w*|handynummer|nummer|e-?mail|anschrift|wohnt|geburtsdatum)\b|\b(adresse|telefon\w*|handynummer|anschrift|e-?mail(-adresse)?)\b[^.?!]{0,30}\bvon\s+(herr[n]?|frau)\b/),
  r("case:payment", /\b(mein\w*|unser\w*|schon|noch (nicht|nix|nichts|kein\w*))\b[^.?!]{0,60}\b(überwiesen|ausgezahlt|gutgeschrieben|auf (dem|meinem|unserem) konto)\b|\b(überwiesen|überweisung|auf dem konto|auf meinem konto|ausgezahlt|auszahlung)\b[^.?!]{0,60}\b(schon|noch nicht|nix|nichts|wann|ob)\b|\bnachschauen,? ob\b/),
  r("case:acute-accident", /\b(gerade|eben|soeben|heute|gestern|vorhin|am (montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|wochenende)|letzte woche)\b[^?!]{0,80}\b(gefallen|gestürzt|abgestürzt|runtergefallen|verletzt|gebrochen|verunglückt|unfall|krankenhaus|notaufnahme|rettungswagen|krankenwagen|notarzt|blutet|bewusstlos)\b|\b(liegt|lag) (jetzt )?im krankenhaus\b|\b(krankenwagen|rettungswagen|notarzt) (ist|sind|kommt) (schon )?(da|unterwegs)\b/),
  r("case:office-holder-contact", /\b(telefon\w*|handy\w*|nummer|adresse|anschrift|e-?mail\w*)\b[^.?!]{0,40}\b(orts)?bürgermeister\w*\s+(von|in|aus)\s+\w+/),
  r("case:family-involved", /\b(mein(em|er|en|e)?|unser(em|er|en|e)?)\s+(sohn|tochter|bruder|schwester|frau|mann|ehefrau|ehemann|schwager|schwägerin|neffe|nichte|cousin\w*|vater|mutter|onkel|tante|schwiegersohn|schwiegervater|enkel\w*)\b[^.?!]{0,80}\b(auftrag|aufträge|vergeben|beauftrag\w*|anstell\w*|einstell\w*|verkauf\w*|verpacht\w*|zuschlag|grundstück|befangen\w*)\b|\bbefangen\w*\b/),
  r("case:other-village-money", /\b(bekommt|kriegt|erhält|erhielt|bekam|bekommen)\b[^.?!]{0,25}\b(die |der )?(orts)?gemeinde\s+(?!aus\b|für\b|bei\b|eine?\b|da\b|dann\b|denn\b|dafür\b|noch\b|auch\b|selbst\b|überhaupt\b|eigentlich\b|geld\b|gelder\b|mittel\b|zuschüsse?\b|förder\w*|unterstützung\b|beiträge\b|zuweisungen\b)[a-zäöüß]{3,}\s+(aus|vom|von|für|im)\b/),
  r("case:insurer-dispute", /\b(unfallkasse|versicherung|kasse)\b[^.?!]{0,90}\b(will nicht zahlen|zahlt nicht|lehnt ab|abgelehnt|verweigert)\b/),
  r("case:submitted", /\b(eingereicht|beantragt|abgeschickt|gestellt|abgegeben)\b[^?!]{0,120}\b(noch nichts|nichts gehört|keine antwort|wann (kommt|bekomme|erfahre|gibt)|stand|status|entschieden|bearbeitet|bewilligt|genehmigt|zugesagt|angenommen|abgelehnt|durch)\b|\b(noch nichts|nichts gehört|keine antwort)\b[^?!]{0,80}\b(eingereicht|antrag|projektsteckbrief|bewerbung)\b/),
  r("case:look-up", /\b(nachsehen|nachschauen|prüfen|checken|schauen),? ob\b[^?!]{0,80}\b(überwiesen|ausgezahlt|angekommen|eingegangen|bewilligt|zugesagt\w*|genehmigt)\b/),
  r("case:neighbour-property", /\b(privatgrundstück|grundstück (meines|des|eines) nachbarn|nachbargrundstück|auf fremdem grund)\b/),
  r("case:other-village", /\bwas (bekommt|kriegt|erhält) (die )?(gemeinde|ortsgemeinde|das dorf|der ort)\s+[A-ZÄÖÜa-zäöü]/),
  r("case:local-fees", /\b(hundesteuer|grundsteuer|gewerbesteuer|hebesatz|hebesätze|gebühr\w*|abwasser\w*|müllabfuhr|friedhofsgebühr\w*|kita-?gebühr\w*)\b[^.?!]{0,60}\b(bei uns|in unserer|unsere[rnm]? (gemeinde|ort|dorf)|in der gemeinde)\b|\b(bei uns|in unserer gemeinde)\b[^.?!]{0,60}\b(hundesteuer|grundsteuer|gewerbesteuer|hebesatz|gebühr\w*)\b/),
  r("case:local-plan", /\b(bei uns|in unserem (dorf|ort)|unsere[rnm]? gemeinde)\b[^.?!]{0,60}\b(bebauungsplan|neubaugebiet|erschlossen|erschließung|flächennutzungsplan|baugenehmigung)\b|\b(bebauungsplan|neubaugebiet)\b[^.?!]{0,60}\b(bei uns|unser\w*)\b/),
];

const GREETING = /^(hallo|hallö?chen|hi|hey|moin|moinsen|servus|grüß gott|gruess gott|guten (morgen|tag|abend|mittag)|morgen|tag|n'?abend|gude|grüezi|huhu)\b[\s!.,]*(zusammen|ortslotse|bot|leute)?[\s!.,:)]*$/;
const THANKS = /^(vielen |herzlichen |tausend )?(dank|danke)( (schön|sehr|dir|ihnen|für (die|ihre|deine) (hilfe|antwort|info\w*)))*[\s!.,:)]*(super|prima|toll|klasse)?[\s!.,:)]*$|^(super|prima|toll|klasse|perfekt|alles klar|ok(ay)?|passt)[\s!.,:)]*(danke)?[\s!.,:)]*$/;
const GOODBYE = /^(tschüss|tschüß|tschau|ciao|bis (bald|dann|später|morgen)|auf wiedersehen|schönen (tag|abend|feierabend)|gute nacht)[\s!.,:)]*$/;
const CAPABILITIES = /\b(was kannst du|was kann ich dich|was kann ich sie|wobei (kannst du|können sie)|wie funktionierst du|wie funktioniert das hier|was weißt du|welche themen|^hilfe\??$|wofür bist du|was machst du|womit kannst du)\b/;
const CHITCHAT = /^(erzähl\w* (mir )?(einen|nen|'nen) witz|wie geht('?s| es) (dir|ihnen)|was machst du (so|gerade)|langweilig|bist du (schlau|klug)|magst du\b)/;
const IDENTITY = /\b(wer bist du|bist du ein (mensch|bot|roboter)|bist du echt|wie heißt du|wer sind sie)\b/;

/** Messages made only of these words are greetings or thanks, in dialect too ("Gudde Morgen zesamme"). */
const GREET_WORDS = new Set("hallo hallöchen hi hey moin moinsen servus gude gudde guude grüß gruß grüße gott guten gute gud morgen mojen moien tag tach dag abend n\u0027abend mittag zusammen zesamme zesummen allerseits leute ihr liebe lieber wie gehts geht's gehts's es dir ihnen na alles klar ortslotse bot hallo".split(" "));
const THANKS_WORDS = new Set("hilfe unterstützung auskunft rückmeldung mühe schnelle schnell nette freundliche tolle gute liebe kompetente ausführliche danke dank dankeschön merci vielen herzlichen tausend lieben besten schön sehr dir ihnen euch das hat mir uns echt wirklich sehr super prima toll klasse perfekt top geholfen weitergeholfen hilfreich info infos antwort für die ok okay passt alles klar gut".split(" "));

function onlyWords(text: string, lexicon: Set<string>, must: RegExp): boolean {
  const ws = text.match(/[\p{L}']+/gu) ?? [];
  return ws.length > 0 && ws.length <= 12 && must.test(text) && ws.every((w) => lexicon.has(w));
}

function first(rules: Rule[], text: string): Rule | undefined {
  return rules.find((rule) => rule.re.test(text));
}

export function detectIntent(raw: string): Intent {
  const text = normalize(raw).replace(/\s+/g, " ").trim();
  const bare = text.replace(/[!?.,;:)(\s]+$/g, "").trim();

  const inj = first(INJECTION, text);
  if (inj) return { kind: "refuse", type: "injection", reasons: [inj.name] };
  const other = first(OTHER_USERS, text);
  if (other) return { kind: "refuse", type: "other_users", reasons: [other.name] };
  const abuse = first(ABUSE, text);
  if (abuse) return { kind: "refuse", type: "abuse", reasons: [abuse.name] };
  const pol = first(POLITICAL, text);
  if (pol) return { kind: "refuse", type: "political", reasons: [pol.name] };
  const ill = first(ILLEGAL, text);
  if (ill) return { kind: "refuse", type: "illegal", reasons: [ill.name] };

  if (onlyWords(text, THANKS_WORDS, /\b(danke\w*|dank|merci)\b/)) return { kind: "smalltalk", type: "thanks", reasons: ["smalltalk:thanks"] };
  if (onlyWords(text, GREET_WORDS, /\b(hallo\w*|hi|hey|moin\w*|servus|gude|gudde|guude|grü\w*|guten|gud|morgen|mojen|moien|tag|tach|abend)\b/))
    return { kind: "smalltalk", type: "greeting", reasons: ["smalltalk:greeting"] };
  // "Guten Abend, bin neu als Ortsbürgermeisterin": a greeting with an introduction, no question yet.
  if (/^(hallo|hi|moin|servus|gude|guten (morgen|tag|abend))\b[^?]{0,80}\b(ich bin|bin)\b[^?]*$/.test(text) && !/\?/.test(text) && text.split(" ").length <= 14)
    return { kind: "smalltalk", type: "greeting", reasons: ["smalltalk:greeting-introduction"] };
  if (GREETING.test(bare) || GREETING.test(text)) return { kind: "smalltalk", type: "greeting", reasons: ["smalltalk:greeting"] };
  if (THANKS.test(bare) || THANKS.test(text)) return { kind: "smalltalk", type: "thanks", reasons: ["smalltalk:thanks"] };
  if (GOODBYE.test(bare)) return { kind: "smalltalk", type: "goodbye", reasons: ["smalltalk:goodbye"] };
  if (CAPABILITIES.test(text) && text.length < 80) return { kind: "smalltalk", type: "capabilities", reasons: ["smalltalk:capabilities"] };
  if (CHITCHAT.test(text) && text.length < 80) return { kind: "smalltalk", type: "capabilities", reasons: ["smalltalk:chitchat"] };
  if (IDENTITY.test(text) && text.length < 60) return { kind: "smalltalk", type: "identity", reasons: ["smalltalk:identity"] };

  const person = first(PERSON, text);
  if (person) return { kind: "handover", type: "person_requested", reasons: [person.name] };
  // Individual-case patterns are matched on the original casing too (names start upper-case).
  const rawNorm = raw.normalize("NFKC");
  const indiv = INDIVIDUAL.find((rule) => rule.re.test(text) || rule.re.test(rawNorm));
  if (indiv) return { kind: "handover", type: "individual_case", reasons: [indiv.name] };

  return { kind: "question", reasons: [] };
}
