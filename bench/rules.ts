// bench/rules: ticket events through the rules engine — each its own unit of work, as
// the ticket-rules job runs them — on a workspace with 100 active rules of mixed
// conditions (two or three matching each event, their actions setting fields, noting,
// assigning round robin and emailing), beside the same events with no active rule,
// in the same run. The ratio is the figure: target ≥ 0.50.
// The baseline is the same path (the job's loop, a transaction per event, the lock, the
// event taken and deleted) with the hundred rules inactive: what every event costs before
// any rule work, not a no-op. Each pass prints its statements per event (round trips,
// begin and commit included) and the CPU per event in node and in PostgreSQL.
// The engine keeps the rules in memory between events (read again when they change),
// reads the ticket's facts in the statement that takes the event, evaluates conditions
// (compiled once per rule set) in memory, writes what the rules changed with their runs
// and emails in one statement (the commit sent behind it, not after its answer), and records
// the rules that missed as one row per event.
// The workspace's notifications are off: what a rule's change notifies is theirs to measure.
//   npm run bench:rules        (BENCH_EVENTS to change the size; exits 1 on a miss)
//   BENCH_PROFILE=rules.cpuprofile  a CPU profile of the passes with rules
//   BENCH_TRACE=1              the statements sent, by text, with their counts
import pg from 'pg';
import { migrate, openRuntimeOrm } from '../src/db/orm.js';
import { inTenant, setOrm } from '../src/db/unit-of-work.js';
import { actingAs } from '../src/domain/actor.js';
import { Contact } from '../src/domain/contact/contact.js';
import { processRuleEvents } from '../src/domain/rule/queue.js';
import { Tenant } from '../src/domain/tenant/tenant.js';
import { signUp } from '../src/domain/tenant/signup.js';
import { openTicket } from '../src/domain/ticket/open-ticket.js';
import { backendCpuMs, benchDatabase, roundTrips } from './machinery.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 400);
const RULES = 100;
process.env.APP_SECRET ??= 'bench-secret-bench-secret-bench-secret!!';
process.env.NODE_ENV = 'test';

const TITLES = ['VPN down', 'Printer jams', 'Invoice question', 'Email not syncing', 'New laptop request', 'Password expired', 'Server slow', 'Wi-Fi drops'];

/** Rule i: two to four conditions from a pool; two or three rules of the hundred match a given ticket. */
function ruleConditions(i: number): Array<[string, string, unknown]> {
  const title = TITLES[i % TITLES.length];
  const pool: Array<Array<[string, string, unknown]>> = [
    [['title', 'equals', title], ['priority', 'is_one_of', ['high', 'critical']]],
    [['title', 'contains', title.split(' ')[0].toLowerCase()], ['contact_email_domain', 'ends_with', `customer${i % 5}.test`]],
    [['description', 'not_contains', 'urgent'], ['customer_name', 'equals', `Customer ${i % 10}`], ['title', 'contains', 'vpn'], ['source', 'equals', 'portal']],
    [['title', 'starts_with', 'never'], ['hours_since_created', 'greater_than', 1]],
    [['contact_name', 'is_not_empty', null], ['status', 'equals', 'open'], ['last_contact_comment', 'contains', `item ${i % 20}`]],
  ];
  return pool[i % pool.length];
}

function ruleActions(i: number): Array<{ kind: string; value?: string; template?: boolean }> {
  switch (Math.floor(i / 5) % 5) {
    case 0: return [{ kind: 'set_priority', value: ['low', 'high', 'critical'][i % 3] }];
    case 1: return [{ kind: 'add_note', value: 'Seen by rule {[Ticket Number]}' }, { kind: 'set_type', value: 'incident' }];
    case 2: return [{ kind: 'assign_technician', value: 'round_robin' }];
    case 3: return [{ kind: 'email_contact', template: true }, { kind: 'set_status', value: 'pending' }];
    default: return [{ kind: 'add_note', value: 'Checked' }];
  }
}

async function main(): Promise<void> {
  const db = await benchDatabase('rules');
  await migrate(db.url);
  const orm = await openRuntimeOrm(db.url, 4);
  setOrm(orm);
  const owner = new pg.Pool({ connectionString: db.url, max: 1 });
  let failed = false;
  try {
    const { tenant } = await signUp({ companyName: 'Bench Support', slug: 'bench', edition: 'msp', plan: 'enterprise', adminName: 'Bench Admin', adminEmail: 'admin@bench.test', password: 'bench password 123' });
    await owner.query(`insert into technicians (tenant_id, email, name, role) select $1, 'tech' || n || '@bench.test', 'Tech ' || n, 'technician' from generate_series(1, 5) n`, [tenant.id]);
    await owner.query(`insert into customers (tenant_id, name) select $1, 'Customer ' || n from generate_series(0, 9) n`, [tenant.id]);
    await owner.query(`insert into contacts (tenant_id, customer_id, email, first_name, portal_access)
      select $1, (select id from customers where tenant_id = $1 and name = 'Customer ' || (p % 10)), 'person' || p || '@customer' || (p % 5) || '.test', 'Person', true
      from generate_series(0, 199) p`, [tenant.id]);
    // The tickets the events are about, opened with no active rule (nothing is queued).
    const contacts = await owner.query<{ id: number }>('select id from contacts where tenant_id = $1 order by id', [tenant.id]);
    const ticketIds: number[] = [];
    for (let start = 0; start < EVENTS; start += 50) {
      await inTenant(tenant.id, async (em) => {
        const t = await em.findOneOrFail(Tenant, { id: tenant.id });
        for (let i = start; i < Math.min(EVENTS, start + 50); i++) {
          const contact = await em.findOneOrFail(Contact, { id: contacts.rows[i % contacts.rows.length].id }, { populate: ['customer'] });
          const ticket = await actingAs({ kind: 'contact', id: contact.id }, () => openTicket(em, t, {
            contact, title: TITLES[i % TITLES.length], description: `Hello, something is wrong with item ${i % 20}.`, source: 'portal',
            priority: ['low', 'medium', 'high'][i % 3],
          }));
          ticketIds.push(ticket.id);
        }
      });
    }
    // The engine's own cost: the notifications a rule's change sends (Ticket assigned to you…) are
    // the notifications' cost, the same as for a technician's change, and are off here.
    await owner.query('update notification_settings set enabled = false where tenant_id = $1', [tenant.id]);
    // 100 rules, created inactive; the runs below turn them on and off.
    const [template] = (await owner.query<{ id: number }>("select id from email_templates where tenant_id = $1 and name = 'Ticket received'", [tenant.id])).rows;
    for (let i = 0; i < RULES; i++) {
      const { rows: [rule] } = await owner.query<{ id: number }>(`insert into ticket_rules (tenant_id, position, name, trigger, ignore_flow, active)
        values ($1, $2, $3, 'ticket_created', $4, false) returning id`, [tenant.id, 10 + i, `Bench rule ${i}`, i % 7 === 0]);
      for (const [n, [property, operator, value]] of ruleConditions(i).entries()) {
        await owner.query('insert into ticket_rule_conditions (tenant_id, rule_id, position, property, operator, value) values ($1, $2, $3, $4, $5, $6)',
          [tenant.id, rule.id, n, property, operator, JSON.stringify(value)]);
      }
      for (const [n, a] of ruleActions(i).entries()) {
        await owner.query('insert into ticket_rule_actions (tenant_id, rule_id, position, kind, template_id, value) values ($1, $2, $3, $4, $5, $6)',
          [tenant.id, rule.id, n, a.kind, a.template ? template.id : null, a.value ?? null]);
      }
    }

    // Statistics for the planner, as autovacuum would have them on a live database (both passes read the same tables).
    await owner.query('analyze');

    /** The same events, queued as the subscriber queues them, then run; events per second. */
    const pass = async (active: boolean): Promise<number> => {
      await owner.query(`update ticket_rules set active = $2 where tenant_id = $1 and name like 'Bench rule %'`, [tenant.id, active]);
      await owner.query(`insert into ticket_rule_events (tenant_id, ticket_id, type, payload, origin)
        select $1, id, 'ticket.created', jsonb_build_object('number', number, 'source', source, 'automatic', false), '{"kind":"contact"}'
          from tickets where tenant_id = $1 and id = any($2) order by id`, [tenant.id, ticketIds]);
      const profile = active && process.env.BENCH_PROFILE ? await startProfile() : undefined;
      const trips = roundTrips();
      const serverCpu = await backendCpuMs(owner);
      const cpu = process.cpuUsage();
      const t = performance.now();
      const ran = await processRuleEvents(tenant.id);
      const seconds = (performance.now() - t) / 1000;
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      const serverCpuMs = serverCpu === null ? null : (await backendCpuMs(owner))! - serverCpu;
      trips.stop();
      await profile?.();
      if (ran !== EVENTS) throw new Error(`ran ${ran} of ${EVENTS} events`);
      console.log(`  ${active ? '100 active rules' : 'no active rule  '}: ${(trips.count / EVENTS).toFixed(1)} statements per event, ${(cpuMs / EVENTS).toFixed(2)} ms CPU in node (${(used.system / 1000 / EVENTS).toFixed(2)} of it in the kernel)${serverCpuMs === null ? '' : ` + ${(serverCpuMs / EVENTS).toFixed(2)} ms in PostgreSQL`} per event, ${(seconds * 1000 / EVENTS).toFixed(2)} ms per event`);
      return EVENTS / seconds;
    };
    // Alternated, each twice, the better of each kept (the machine is shared).
    const without: number[] = [];
    const withRules: number[] = [];
    for (let round = 0; round < 2; round++) {
      without.push(await pass(false));
      withRules.push(await pass(true));
    }
    const base = Math.max(...without);
    const rate = Math.max(...withRules);
    const ratio = rate / base;
    const { rows: [runs] } = await owner.query<{ total: number; applied: number }>(
      "select count(*)::int as total, count(*) filter (where outcome in ('applied', 'partly_applied'))::int as applied from ticket_rule_runs");
    const { rows: [mail] } = await owner.query<{ n: number }>('select count(*)::int as n from outbound_emails');
    const ok = ratio >= 0.5;
    failed ||= !ok;
    const { rows: [misses] } = await owner.query<{ n: number; rules: number }>('select count(*)::int as n, coalesce(sum(cardinality(rule_ids)), 0)::int as rules from ticket_rule_misses');
    console.log(`${EVENTS} events, ${RULES} active rules: ${runs.total} runs recorded, ${runs.applied} applied, ${misses.n} misses recorded (${misses.rules} rules not matched), ${mail.n} emails queued (three an hour per recipient and rule)`);
    console.log(`no active rule ${base.toFixed(0).padStart(5)} events/s | 100 active rules ${rate.toFixed(0).padStart(5)} events/s | ratio ${ratio.toFixed(2)} (target ≥ 0.50) ${ok ? 'OK' : 'MISSED'}`);
  } finally {
    await owner.end();
    await orm.close(true);
    await db.stop();
  }
  process.exit(failed ? 1 : 0);
}

/** BENCH_PROFILE=file.cpuprofile: a CPU profile of the runs with rules (open it in Chrome's DevTools). */
async function startProfile(): Promise<() => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
    session.disconnect();
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
