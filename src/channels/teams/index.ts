import { TeamsAdapter } from "@microsoft/teams-ai";
import type { Config } from "../../config.js";
import type { ChannelDeps, ChannelRuntime } from "../channel-runtime.js";
import { createTeamsApplication } from "./app.js";
import { MayorHandlers } from "./mayor.js";
import { storeInbox } from "./inbox.js";
import { teamsRoutes, type AuthMode } from "./routes.js";
import { TeamsProactive, TeamsSender } from "./sender.js";
import { StaffHandlers } from "./staff.js";
import { TeamsStaffNotifier } from "./staff-notifier.js";

export function authModeOf(teams: Config["teams"]): AuthMode {
  if (teams.appId) return "authenticated";
  return teams.allowUnauthenticated ? "unauthenticated" : "refusing";
}

/**
 * The Bot Framework's own setting names, read by botbuilder's ConfigurationBotFrameworkAuthentication
 * (TeamsAdapter builds it from this object). An empty object means: no authentication (local only).
 */
function botFrameworkSettings(teams: Config["teams"]): Record<string, string> {
  if (!teams.appId) return {};
  return {
    MicrosoftAppId: teams.appId,
    MicrosoftAppPassword: teams.appPassword ?? "",
    MicrosoftAppType: teams.appType,
    ...(teams.tenantId ? { MicrosoftAppTenantId: teams.tenantId } : {}),
  };
}

/** What /health should call "enabled": the endpoint can actually serve Teams (not the refusing mode). */
export type TeamsRuntime = ChannelRuntime & { serving: boolean; mode: AuthMode };

/**
 * Microsoft Teams channel (@microsoft/teams-ai 1.x on botbuilder). Always returns a runtime, so that
 * POST /api/messages exists: without MicrosoftAppId it refuses every request (401), unless
 * TEAMS_ALLOW_UNAUTHENTICATED=true for the emulator and the tests.
 */
export async function createTeamsChannel(deps: ChannelDeps): Promise<TeamsRuntime> {
  const { config, core, log } = deps;
  const mode = authModeOf(config.teams);
  const appId = config.teams.appId ?? "";
  const adapter = new TeamsAdapter(botFrameworkSettings(config.teams));
  const proactive = new TeamsProactive(adapter, appId);
  const notifier = new TeamsStaffNotifier(core.store, proactive, log.child({ module: "teams-staff" }));
  const application = createTeamsApplication({
    adapter,
    appId: appId || undefined,
    mayor: new MayorHandlers({ core, config, log }),
    staff: new StaffHandlers({ core, staffUsers: config.teams.staffUsers, log: log.child({ module: "teams-staff" }) }),
    log,
  });
  const routes = teamsRoutes({ mode, adapter, application, log, inbox: storeInbox(deps.core.store), allowedTenants: config.teams.allowedTenants });

  return {
    name: "teams",
    serving: mode !== "refusing",
    mode,
    mounts: [{ path: "/api/messages", app: routes.app }],
    sender: new TeamsSender(proactive, log),
    staffNotifier: notifier,
    async start() {
      if (mode === "unauthenticated") {
        log.warn(
          "!!! TEAMS_ALLOW_UNAUTHENTICATED=true: /api/messages accepts activities WITHOUT authentication. " +
            "Only for the Bot Framework Emulator and tests – never on a public server. Set MicrosoftAppId/MicrosoftAppPassword for Teams. !!!",
        );
      } else if (mode === "refusing") {
        log.info("Teams not configured (no MicrosoftAppId): /api/messages answers 401");
      } else {
        log.info({ appType: config.teams.appType, staffUsers: config.teams.staffUsers.length }, "Teams channel ready");
      }
      if (mode !== "refusing" && !config.teams.staffUsers.length) {
        log.info("TEAMS_STAFF_USERS is empty: nobody can register a Teams staff channel");
      }
    },
    async stop() {
      await routes.drain(10_000);
    },
  };
}
