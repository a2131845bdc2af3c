import { join } from "node:path";
import type { Config } from "../config.js";

export interface StartFailure {
  /** One line, German then English, saying what to do. */
  message: string;
  /** 2 = a setting or the machine's set-up is wrong; 1 = something else broke. */
  exitCode: 1 | 2;
}

/** Codes and messages along an error's cause chain (StoreError wraps the driver's error). */
function chain(err: unknown): { codes: string[]; text: string } {
  const codes: string[] = [];
  const texts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    if (e instanceof Error) texts.push(e.message);
    // pg reports "connect ECONNREFUSED" for each address as an AggregateError.
    if (e instanceof AggregateError) for (const inner of e.errors) codes.push(...chain(inner).codes);
  }
  return { codes, text: texts.join(" | ") };
}

function postgresTarget(url: string): { host: string; user: string } {
  try {
    const u = new URL(url);
    return { host: `${u.hostname}:${u.port || "5432"}`, user: decodeURIComponent(u.username) || "?" };
  } catch {
    return { host: "?", user: "?" };
  }
}

/** Turns a failed start into one line an operator can act on; undefined when the cause is not known. */
export function explainStartFailure(err: unknown, config: Pick<Config, "port" | "host" | "dataDir" | "databaseUrl">): StartFailure | undefined {
  const { codes, text } = chain(err);
  const has = (...c: string[]) => c.some((x) => codes.includes(x));
  if (has("EADDRINUSE")) {
    return {
      exitCode: 2,
      message: `Port ${config.port} auf ${config.host} ist schon belegt – läuft Ortslotse bereits? Den anderen Prozess beenden oder PORT ändern. (Port in use: stop the other process or set PORT.)`,
    };
  }
  if (has("ORTSLOTSE_EMPTY_KNOWLEDGE")) {
    return { exitCode: 2, message: `${text.split(" | ")[0]} KNOWLEDGE_DIR prüfen. (KNOWLEDGE_DIR has no knowledge files; the existing index was kept.)` };
  }
  if (config.databaseUrl) {
    const { host, user } = postgresTarget(config.databaseUrl);
    if (has("ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH") || /timeout exceeded when trying to connect/i.test(text)) {
      return {
        exitCode: 2,
        message: `PostgreSQL auf ${host} ist nicht erreichbar (${codes.find((c) => c.startsWith("E")) ?? "Zeitüberschreitung"}): Läuft der Server, stimmen Rechner und Port in DATABASE_URL? (PostgreSQL at ${host} unreachable: check the server and DATABASE_URL.)`,
      };
    }
    if (has("28P01", "28000")) {
      return { exitCode: 2, message: `PostgreSQL auf ${host} lehnt die Anmeldung als „${user}“ ab: Benutzer und Passwort in DATABASE_URL prüfen. (PostgreSQL refused user ${user}: check DATABASE_URL.)` };
    }
    if (has("3D000")) {
      return { exitCode: 2, message: `Die Datenbank aus DATABASE_URL gibt es auf ${host} nicht: mit createdb anlegen. (Database does not exist on ${host}: create it.)` };
    }
  }
  const file = join(config.dataDir, "ortslotse.sqlite");
  if (has("SQLITE_NOTADB", "SQLITE_CORRUPT")) {
    return {
      exitCode: 1,
      message: `Die Datenbank ${file} ist beschädigt: Dienst gestoppt lassen und die letzte Sicherung zurückspielen (README „Betrieb“). (Database file is corrupt: restore the backup.)`,
    };
  }
  if (has("EACCES", "EROFS", "EPERM", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_READONLY_DBMOVED")) {
    return {
      exitCode: 2,
      message: `DATA_DIR „${config.dataDir}“ ist nicht beschreibbar: Der Benutzer des Dienstes braucht dort Schreibrechte (oder DATA_DIR ändern). (DATA_DIR is not writable.)`,
    };
  }
  return undefined;
}
