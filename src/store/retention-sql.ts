/**
 * The retention rules, written once for both databases ($1 = the cut-off as ISO text; SQLite's runner
 * turns each $1 into a ?). Dates are ISO strings in SQLite and timestamps in PostgreSQL; both compare
 * correctly with an ISO parameter.
 */
export const PURGE_SQL: string[] = [
  `DELETE FROM turns WHERE created_at < $1`,
  `DELETE FROM tickets WHERE status='closed' AND updated_at < $1`,
  // Staff answers never fetched by a web chat (the person did not come back).
  `DELETE FROM outbox WHERE created_at < $1`,
  `DELETE FROM digest_deliveries WHERE updated_at < $1`,
  // A chat's address (names, ids) stays only while it is subscribed to the digest or recently used.
  `DELETE FROM conversations WHERE updated_at < $1
     AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel=conversations.channel AND s.conversation_id=conversations.conversation_id)`,
  // Access through an invite ends when the person has not asked anything within the retention period.
  `DELETE FROM members WHERE created_at < $1
     AND NOT EXISTS (SELECT 1 FROM turns t WHERE t.channel=members.channel AND t.user_id=members.user_id AND t.created_at >= $1)`,
  // Duplicate-update markers and old job periods are bookkeeping, not personal data; drop them too.
  `DELETE FROM job_runs WHERE started_at < $1`,
];

/** Closes one stale ticket ($2 = id) and empties what identifies the person or their question ($1 = now). */
export const EXPIRE_TICKET_SQL = `UPDATE tickets SET status='closed', user_id='', conversation_id='', user_name=NULL, village=NULL,
  question='[nach Ablauf der Aufbewahrungsfrist gelöscht]', context='[]', passages='[]', draft_answer=NULL,
  answer=NULL, messages='[]', updated_at=$1 WHERE id=$2`;
