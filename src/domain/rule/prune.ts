// Rule runs (and misses) are kept RUN_DAYS (the rule page and the ticket show them); the hourly cap
// needs an hour of sends (a day is kept); events that failed every attempt are kept
// as long as runs, for an admin to see why.
import type { Sql } from '../../db/sql.js';
import { MAX_ATTEMPTS } from './queue.js';
import { RUN_DAYS } from './vocabulary.js';

export async function pruneRuleRecords(sql: Sql): Promise<void> {
  await sql.query('delete from ticket_rule_runs where tenant_id = $1 and created_at < now() - make_interval(days => $2)', [sql.tenantId, RUN_DAYS]);
  await sql.query('delete from ticket_rule_misses where tenant_id = $1 and created_at < now() - make_interval(days => $2)', [sql.tenantId, RUN_DAYS]);
  await sql.query("delete from ticket_rule_sends where tenant_id = $1 and sent_at < now() - interval '1 day'", [sql.tenantId]);
  await sql.query('delete from ticket_rule_events where tenant_id = $1 and attempts >= $2 and created_at < now() - make_interval(days => $3)', [sql.tenantId, MAX_ATTEMPTS, RUN_DAYS]);
}
