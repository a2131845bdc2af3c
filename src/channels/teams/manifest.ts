import JSZip from "jszip";
import { COMMANDS } from "./commands.js";
import { ACCENT_COLOR, colorIcon, outlineIcon } from "./icons.js";

export const MANIFEST_VERSION = "1.17";
export const MANIFEST_SCHEMA = `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
/** Used when MicrosoftAppId is not set: the package is then for looking at, not for uploading. */
export const PLACEHOLDER_APP_ID = "00000000-0000-4000-8000-000000000000";

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const PROJECT_URL = "https://trier-saarburg.de/hauptamt-staerkt-ehrenamt/";

export interface ManifestInput {
  /** MicrosoftAppId of the Azure Bot / Teams Developer Portal bot. */
  appId?: string;
  /** App version (semver); raise it for every upload of a changed package. */
  version: string;
  /** PUBLIC_URL of this server: its /datenschutz page and its domain go into the manifest. */
  publicUrl?: string;
}

const SHORT_DESCRIPTION = "Antworten zu Förderung, Versicherung und Ehrenamt für Ortsbürgermeister";

const FULL_DESCRIPTION =
  "Der Ortslotse hilft ehrenamtlichen Ortsbürgermeisterinnen und Ortsbürgermeistern im Landkreis Trier-Saarburg. " +
  "Er beantwortet Fragen aus dem Newsletter und den häufigen Fragen des Projekts „Hauptamt stärkt Ehrenamt“: " +
  "Förderprogramme wie LEADER und Ehrenamtliche Bürgerprojekte, Versicherungsschutz bei Arbeitseinsätzen und Dorffesten, " +
  "Aufwandsentschädigung und Gemeindeordnung, gute Beispiele aus anderen Dörfern.\n\n" +
  "Jede Antwort nennt ihre Quellen und den Stand. Was der Ortslotse nicht sicher weiß, gibt er an das Team der Kreisverwaltung weiter; " +
  "die Antwort kommt dann in denselben Chat. In Gruppenchats und Kanälen antwortet er nur, wenn Sie ihn mit @Ortslotse erwähnen. " +
  "Auf Wunsch schickt er einmal pro Woche einen kurzen Überblick über Neues und anstehende Fristen.\n\n" +
  "Der Ortslotse ist ein Computerprogramm und keine Rechtsberatung. Verbindlich ist die Auskunft der zuständigen Stelle.";

export interface BuiltManifest {
  manifest: Record<string, unknown>;
  warnings: string[];
}

/** The Teams app manifest (schema 1.17) for the Ortslotse bot; pure, so tests can check it field by field. */
export function buildManifest(i: ManifestInput): BuiltManifest {
  const warnings: string[] = [];
  let id = i.appId?.trim();
  if (!id) {
    warnings.push(`MicrosoftAppId ist nicht gesetzt: Platzhalter ${PLACEHOLDER_APP_ID} verwendet. So lässt sich das Paket nicht hochladen.`);
    id = PLACEHOLDER_APP_ID;
  } else if (!GUID.test(id)) {
    throw new Error(`MicrosoftAppId "${id}" ist keine GUID. Die App-ID aus der Azure-Bot-Ressource oder dem Developer Portal eintragen.`);
  }
  if (!SEMVER.test(i.version)) throw new Error(`Version "${i.version}" ist keine Versionsnummer der Form 1.2.3`);

  let base = PROJECT_URL.replace(/\/$/, "");
  let privacyUrl = PROJECT_URL;
  const validDomains: string[] = [];
  if (i.publicUrl) {
    const u = new URL(i.publicUrl);
    if (u.protocol === "https:") {
      base = i.publicUrl.replace(/\/+$/, "");
      privacyUrl = `${base}/datenschutz`;
      validDomains.push(u.host);
    } else {
      warnings.push(`PUBLIC_URL ${i.publicUrl} ist kein https: Website- und Datenschutz-Link zeigen auf ${PROJECT_URL}.`);
    }
  } else {
    warnings.push(`PUBLIC_URL ist nicht gesetzt: Website- und Datenschutz-Link zeigen auf ${PROJECT_URL}.`);
  }

  const manifest = {
    $schema: MANIFEST_SCHEMA,
    manifestVersion: MANIFEST_VERSION,
    version: i.version,
    id,
    localizationInfo: { defaultLanguageTag: "de-de" },
    developer: {
      name: "Kreisverwaltung Trier-Saarburg",
      websiteUrl: base === PROJECT_URL.replace(/\/$/, "") ? PROJECT_URL : base,
      privacyUrl,
      termsOfUseUrl: PROJECT_URL,
    },
    name: { short: "Ortslotse", full: "Ortslotse – Hauptamt stärkt Ehrenamt (Landkreis Trier-Saarburg)" },
    description: { short: SHORT_DESCRIPTION, full: FULL_DESCRIPTION },
    icons: { color: "color.png", outline: "outline.png" },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId: id,
        scopes: ["personal", "team", "groupChat"],
        isNotificationOnly: false,
        supportsFiles: false,
        supportsCalling: false,
        supportsVideo: false,
        commandLists: [
          { scopes: ["personal"], commands: COMMANDS.personal.map((c) => ({ ...c })) },
          { scopes: ["team", "groupChat"], commands: COMMANDS.group.map((c) => ({ ...c })) },
        ],
      },
    ],
    validDomains,
  };
  return { manifest, warnings };
}

/** appPackage.zip: manifest.json, color.png and outline.png at the top level, as Teams expects. */
export async function buildAppPackage(i: ManifestInput): Promise<BuiltManifest & { zip: Buffer }> {
  const built = buildManifest(i);
  const zip = new JSZip();
  zip.file("manifest.json", JSON.stringify(built.manifest, null, 2));
  zip.file("color.png", colorIcon());
  zip.file("outline.png", outlineIcon());
  const buf = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
  return { ...built, zip: buf };
}
