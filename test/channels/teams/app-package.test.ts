import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { inflateSync } from "node:zlib";
import JSZip from "jszip";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../support/temp.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const CLI = join(ROOT, "src/cli/teams-package.ts");
const APP_ID = "3f2b8c1e-9a7d-4e5f-8b6a-1c2d3e4f5a6b";

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const SEMVER = /^([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)$/;
const HTTPS = /^https:\/\/\S+$/;
/** Top-level properties the v1.17 schema allows (additionalProperties: false) and the ones it requires. */
const ALLOWED_1_17 = [
  "$schema", "manifestVersion", "version", "id", "localizationInfo", "developer", "name", "description", "icons", "accentColor",
  "configurableTabs", "staticTabs", "bots", "connectors", "subscriptionOffer", "composeExtensions", "permissions", "devicePermissions",
  "validDomains", "webApplicationInfo", "graphConnector", "showLoadingIndicator", "isFullScreen", "activities", "configurableProperties",
  "supportedChannelTypes", "defaultBlockUntilAdminAction", "publisherDocsUrl", "defaultInstallScope", "defaultGroupCapability",
  "meetingExtensionDefinition", "authorization", "extensions", "dashboardCards",
];
const REQUIRED_1_17 = ["manifestVersion", "version", "id", "developer", "name", "description", "icons", "accentColor"];

/** Width, height and RGBA pixels of an 8-bit RGBA PNG without filters (what the package writes). */
function decodePng(buf: Buffer): { width: number; height: number; pixels: Buffer; colorType: number } {
  expect(buf.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  let pos = 8;
  let width = 0, height = 0, colorType = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.subarray(pos + 4, pos + 8).toString("ascii");
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      colorType = data[9];
    }
    if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, pixels, colorType };
}

describe("npm run teams:package", () => {
  const dirs: { dir: string; cleanup: () => void }[] = [];
  afterAll(() => dirs.forEach((d) => d.cleanup()));

  const cli = async (env: Record<string, string>, args: string[] = []) => {
    const t = tempDir();
    dirs.push(t);
    // Its own working directory: no .env of the developer leaks in; the zip lands there by default.
    const { stdout, stderr } = await run(TSX, [CLI, ...args], { cwd: t.dir, env: { PATH: process.env.PATH ?? "", HOME: t.dir, ...env } });
    return { dir: t.dir, stdout, stderr };
  };

  it("writes appPackage.zip whose manifest has every field the declared schema (v1.17) requires", async () => {
    const { dir, stdout, stderr } = await cli({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: "pw", PUBLIC_URL: "https://ortslotse.example.de" });
    expect(stdout).toContain(APP_ID);
    expect(stderr).not.toContain("Warnung");
    const zipPath = join(dir, "appPackage.zip");
    expect(existsSync(zipPath)).toBe(true);
    const zip = await JSZip.loadAsync(readFileSync(zipPath));
    expect(Object.keys(zip.files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    const m = JSON.parse(await zip.file("manifest.json")!.async("string"));

    expect(m.$schema).toBe("https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json");
    expect(m.manifestVersion).toBe("1.17");
    for (const key of REQUIRED_1_17) expect(m, key).toHaveProperty(key);
    for (const key of Object.keys(m)) expect(ALLOWED_1_17, key).toContain(key);

    expect(m.id).toMatch(GUID);
    expect(m.id).toBe(APP_ID);
    expect(m.version).toMatch(SEMVER);
    expect(m.developer.name.length).toBeGreaterThan(0);
    expect(m.developer.name.length).toBeLessThanOrEqual(32);
    for (const url of ["websiteUrl", "privacyUrl", "termsOfUseUrl"]) expect(m.developer[url], url).toMatch(HTTPS);
    expect(m.developer.privacyUrl).toBe("https://ortslotse.example.de/datenschutz");
    expect(m.name.short.length).toBeLessThanOrEqual(30);
    expect(m.name.full.length).toBeLessThanOrEqual(100);
    expect(m.name.full.length).toBeGreaterThan(0);
    expect(m.description.short.length).toBeLessThanOrEqual(80);
    expect(m.description.full.length).toBeLessThanOrEqual(4000);
    expect(m.description.full).toContain("Ortsbürgermeister");
    expect(m.accentColor).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(m.localizationInfo.defaultLanguageTag).toBe("de-de");
    expect(m.validDomains).toEqual(["ortslotse.example.de"]);

    expect(m.bots).toHaveLength(1);
    const [bot] = m.bots;
    expect(bot.botId).toBe(APP_ID);
    expect(bot.scopes.sort()).toEqual(["groupChat", "personal", "team"]);
    expect(bot.commandLists.length).toBeLessThanOrEqual(3);
    for (const list of bot.commandLists) {
      for (const s of list.scopes) expect(["team", "personal", "groupChat"]).toContain(s);
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
    const titles = bot.commandLists.flatMap((l: any) => l.commands.map((c: any) => c.title));
    for (const t of ["hilfe", "themen", "mensch", "datenschutz", "digest an"]) expect(titles).toContain(t);

    // Icons named in the manifest exist, with the sizes Teams requires.
    const color = decodePng(await zip.file(m.icons.color)!.async("nodebuffer"));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(await zip.file(m.icons.outline)!.async("nodebuffer"));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // Outline: white on transparent only, and something is drawn.
    let drawn = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      if (a > 0) {
        drawn++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(drawn).toBeGreaterThan(50);
    expect(drawn).toBeLessThan(32 * 32);
  }, 60_000);

  it("without MicrosoftAppId uses a placeholder GUID and warns; --out and --version are honoured", async () => {
    const { dir, stderr } = await cli({}, ["--out", "paket.zip", "--version", "2.3.4"]);
    expect(stderr).toContain("MicrosoftAppId ist nicht gesetzt");
    const zip = await JSZip.loadAsync(readFileSync(join(dir, "paket.zip")));
    const m = JSON.parse(await zip.file("manifest.json")!.async("string"));
    expect(m.id).toMatch(GUID);
    expect(m.bots[0].botId).toBe(m.id);
    expect(m.version).toBe("2.3.4");
    expect(m.developer.websiteUrl).toMatch(HTTPS);
    expect(m.validDomains).toEqual([]);
  }, 60_000);

  it("refuses an app id that is not a GUID", async () => {
    await expect(cli({ MicrosoftAppId: "mein-bot", MicrosoftAppPassword: "pw" })).rejects.toMatchObject({ code: 1 });
  }, 60_000);
});
