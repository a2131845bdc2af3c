import snowball from "snowball-stemmers";

const stemmer = snowball.newStemmer("german");

/** Function words that carry no topic; kept short on purpose: "nicht", "kein" matter for some answers. */
export const STOPWORDS = new Set(
  (
    "aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bin bis bitte bist da dabei dadurch dafür dagegen daher damit dann " +
    "darf darum das dass davon dazu dein deine dem den denn der des deshalb dessen die dies diese diesem diesen dieser dieses doch dort du durch eigentlich ein eine einem " +
    "einen einer eines einfach er es etwa etwas euch euer eure für gibt gibts gab hab habe haben hat hatte hier ich ihm ihn ihnen ihr ihre im in ist ja jede jedem jeden " +
    "jeder jetzt kann kannst können könnte man mal mein meine mich mir mit muss müssen nach nun nur ob oder ohne schon sehr sein seine sich sie sind so soll sollen " +
    "sollte sonst um und uns unser unsere unserem unseren unserer viel vom von vor war waren was weil welche welchem welchen welcher welches wenn wer werden wie wieder " +
    "will wir wird wo wurde würde zu zum zur über gerne genau denen hallo mfg grüße gruß danke bzw usw ca eig eigtl nen ne n nem " +
    "kriegen kriegt krieg kriege bekomme bekommen bekommt bekommst kriegst möchte möchten würden gibt's gibts brauche bräuchte irgendwie eigentlich überhaupt halt eben denn mal gerade grad ok okay " +
    "meinen meinem meiner meines deinen deinem deiner unseren unserem unserer unseres euren eurem eurer ihren ihrem ihrer einige einigen einiger viele vielen oft manchmal nächste nächsten nächster nächstes letzte letzten letzter woher wohin warum wieso weshalb wann kam kommt kommen erklär erkläre erklären erklärt kurz kurzem sag sage sagen sagt weiß wissen frage fragen fragt " +
    "kannst könnt könnten ihr euch hab hast is isses gehts geht los machen mache macht tun tut muss musst müsste dürfen darf dürfte wollen wollt willst " +
    "jemand etwas sowas so'n son sone irgendwas irgendwer bisschen ganz ganze schon noch nochmal wieder immer aktuell aktuelle derzeit momentan zurzeit heute"
  ).split(/\s+/),
);

/** Normalises user and knowledge text: Unicode NFKC, no invisible characters, lower case. */
export function normalize(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, "")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, " ")
    .toLowerCase();
}

/** ä→ae etc., so "Dorfläden", "Dorflaeden" and "Dorfladen" meet in the middle. */
export function foldUmlauts(word: string): string {
  return word.replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss");
}

/** Words of a text, lower-cased; keeps numbers with dots (3.000), §, % as their own tokens. */
export function words(text: string): string[] {
  const t = normalize(text)
    .replace(/(\d)\.(\d{3})\b/g, "$1$2")
    .replace(/(\d),(\d)/g, "$1_$2");
  return t.match(/§|%|[\p{L}\p{N}_]+/gu) ?? [];
}

const stemCache = new Map<string, string>();
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    // Snowball maps ä→a; typed transcriptions ("staerkt", "fuer") must land on the same stem.
    s = /\d/.test(word) ? word : foldUmlauts(stemmer.stem(word)).replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** Content terms for matching: stop words out, stemmed, umlauts folded. */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d|§|%/.test(w)))
    .map(stem);
}
