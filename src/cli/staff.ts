import { configFromEnvironment } from "./load-env.js";
import { openStore } from "../store/open-store.js";
import { addStaffAccount, listStaffAccounts, resetStaffAccount, StaffAccountError } from "../staff/accounts.js";

const USAGE = `Aufruf:
  npm run staff -- add NAME     Zugang anlegen (oder zurücksetzen) und Einmal-Passwort ausgeben
  npm run staff -- reset NAME   neues Einmal-Passwort für einen bestehenden Zugang
  npm run staff -- list         alle Zugänge anzeigen
`;

/** Staff accounts for /staff; reads the same settings (.env, DATA_DIR) as the server. */
async function main(): Promise<number> {
  const [command, name, ...rest] = process.argv.slice(2);
  if (!command || !["add", "reset", "list"].includes(command) || (command !== "list" && (!name || rest.length))) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = configFromEnvironment();
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const loginUrl = `${config.publicUrl?.replace(/\/+$/, "") ?? `http://localhost:${config.port}`}/staff/login`;
  try {
    if (command === "list") {
      const accounts = await listStaffAccounts(store);
      if (!accounts.length) process.stdout.write("Noch keine Zugänge. Anlegen mit: npm run staff -- add NAME\n");
      for (const a of accounts)
        process.stdout.write(`${a.name.padEnd(24)} angelegt ${a.createdAt.slice(0, 10)}  ${a.mustChangePassword ? "Einmal-Passwort noch nicht ersetzt" : "eigenes Passwort gesetzt"}\n`);
      return 0;
    }
    const res = command === "add" ? await addStaffAccount(store, name) : await resetStaffAccount(store, name);
    const what = command === "reset" || ("existed" in res && res.existed) ? "zurückgesetzt" : "angelegt";
    process.stdout.write(
      `Zugang "${res.name}" ${what}.\n` +
        `Einmal-Passwort: ${res.oneTimePassword}\n` +
        `Nur jetzt sichtbar. Bitte persönlich oder telefonisch weitergeben, nicht per E-Mail.\n` +
        `Anmeldung: ${loginUrl} – beim ersten Anmelden wird ein eigenes Passwort (mindestens 12 Zeichen) festgelegt.\n` +
        // User test: run from another shell, the account went into another database and the login failed unexplained.
        `Gespeichert in: ${config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : config.dataDir}. Der Server muss dieselben Daten nutzen (dieselbe .env bzw. DATA_DIR, PORT, PUBLIC_URL) – sonst kennt er den Zugang nicht.\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof StaffAccountError) {
      process.stderr.write(err.message + "\n");
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`Fehler: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
