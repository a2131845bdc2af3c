import { PART_HANDOVER_REASON } from "../../core/question-turn.js";
import type { StatsStore } from "../store.js";
import { topicsFromRows, usageFromRows, weeklyFromRows } from "../row-mapping.js";
import { isoWeek } from "../../time.js";
import type { SqlContext } from "./context.js";

/** Figures for staff: questions per week, topics, how often each knowledge entry answered. */
export function statsStore({ run }: SqlContext): StatsStore {
  return {
    weeklyStats: (weeks) =>
      run("weeklyStats", async (db) => {
        const since = new Date(Date.now() - weeks * 7 * 86400000).toISOString();
        return weeklyFromRows(await db.selectFrom("turns").select(["action", "question", "reasons", "feedback", "created_at"]).where("created_at", ">=", since).execute(), isoWeek);
      }),

    topicCounts: (sinceIso, filter) =>
      run("topicCounts", async (db) => {
        let q = db.selectFrom("turns").select(["topics", "question"]).where("created_at", ">=", sinceIso);
        // Handed over: also an answer with a part of its message handed over (see wentToStaff).
        q = filter === "handover"
          ? q.where((eb) => eb.or([eb("action", "=", "handover"), eb.and([eb("action", "=", "answer"), eb("reasons", "like", `%"${PART_HANDOVER_REASON}%`)])]))
          : filter === "thumbs_down" ? q.where("feedback", "=", -1) : q.where("action", "in", ["answer", "handover"]);
        return topicsFromRows(await q.orderBy("id", "desc").execute());
      }),

    sourceUsage: (sinceIso) =>
      run("sourceUsage", async (db) => usageFromRows(await db.selectFrom("turns").select("source_ids").where("created_at", ">=", sinceIso).where("action", "=", "answer").execute())),
  };
}
