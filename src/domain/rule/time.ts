// The time-based trigger, *Ticket Unanswered For* N hours: an open ticket whose contact
// wrote last (a public message, not automatic mail — or opened it and has not written
// since) and has had no public technician reply for N hours. Each such wait is named by
// what started it (`message:<id>`, or `ticket:<id>` for the opening), and a rule fires
// once per wait: the run records the key (unique per rule and ticket), and a wait
// already queued is not queued again. The job checking every few minutes calls this.
import type { TenantWork } from '../../db/unit-of-work.js';
import { UNANSWERED_EVENT, wakeAfterCommit } from './subscriber.js';

const DUE = `select w.ticket_id, w.key, array_agg(r.id order by r.position, r.id) as rule_ids
  from ticket_rules r
  join lateral (
    select t.id as ticket_id, coalesce('message:' || lm.id, 'ticket:' || t.id) as key, coalesce(lm.created_at, t.created_at) as since
      from tickets t
      left join lateral (select m.id, m.created_at from ticket_messages m
                          where m.tenant_id = t.tenant_id and m.ticket_id = t.id and m.author_kind = 'contact' and not m.internal and not m.automatic
                          order by m.id desc limit 1) lm on true
     where t.tenant_id = r.tenant_id and t.status = 'open' and (lm.id is not null or t.source <> 'technician')
  ) w on w.since <= now() - make_interval(hours => r.trigger_hours)
 where r.tenant_id = $1 and r.active and r.trigger = 'ticket_unanswered'
   and not exists (select 1 from ticket_messages x where x.tenant_id = $1 and x.ticket_id = w.ticket_id
                    and x.author_kind = 'technician' and not x.internal and x.created_at > w.since)
   and not exists (select 1 from ticket_rule_runs u where u.tenant_id = $1 and u.rule_id = r.id and u.ticket_id = w.ticket_id and u.event_key = w.key)
   and not exists (select 1 from ticket_rule_events e where e.tenant_id = $1 and e.ticket_id = w.ticket_id
                    and e.type = '${UNANSWERED_EVENT}' and e.payload ->> 'eventKey' = w.key)
 group by w.ticket_id, w.key
 order by w.ticket_id
 limit 1000`;

/** Queues the waits that became due for the workspace's unanswered rules; returns how many. */
export async function queueUnansweredTickets(work: TenantWork): Promise<number> {
  const due = await work.sql.query<{ ticket_id: number; key: string; rule_ids: number[] }>(DUE, [work.tenantId]);
  if (!due.length) return 0;
  await work.sql.query(
    `insert into ticket_rule_events (tenant_id, ticket_id, type, payload, origin)
     select $1, x.ticket_id, '${UNANSWERED_EVENT}', jsonb_build_object('eventKey', x.key, 'ruleIds', x.rule_ids), '{"kind":"system","name":"ticket-unanswered"}'
       from jsonb_to_recordset($2::jsonb) as x(ticket_id int, key text, rule_ids jsonb)`,
    [work.tenantId, JSON.stringify(due)]);
  wakeAfterCommit(work.tenantId);
  return due.length;
}
