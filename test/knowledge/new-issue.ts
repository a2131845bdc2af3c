/** A newsletter issue that is in no repository: only staff publish it, through /staff. */
export const NEW_ISSUE = `<!doctype html><html><head><title>Newsletter Nr. 78 – Dezember 2026</title>
<meta name="date" content="2026-12-15"><meta name="issue" content="78"></head><body>
<h1>Hauptamt stärkt Ehrenamt – Newsletter Nr. 78</h1>
<h2>Förderung: Pflegeprämie für Streuobstwiesen</h2>
<p>Der Landkreis zahlt Ortsgemeinden und Vereinen für die Pflege ihrer Streuobstwiesen eine Pflegeprämie von 25 Euro je Obstbaum und Jahr. Gefördert werden Schnitt, Nachpflanzung und Mahd.</p>
<p>Anträge für die Pflegeprämie nimmt die Untere Naturschutzbehörde der Kreisverwaltung bis 31. März 2027 entgegen.</p>
<h2>Aus der Praxis: Obstbaumschnitt-Kurs in Kell am See</h2>
<p>In Kell am See haben zwölf Freiwillige im November gelernt, wie man alte Hochstämme richtig schneidet. Der Kurs wird im Frühjahr wiederholt.</p>
<p>Sie möchten den Newsletter abbestellen? Hier abmelden.</p>
</body></html>`;

export const QUESTION = "Wie hoch ist die Pflegeprämie für Streuobstwiesen je Obstbaum?";
