// Ingest writes tickets and messages in a statement or two of plain SQL (src/inbound/
// tickets.ts) instead of through the ticket verbs: these hold what it writes to what
// the verbs write for the same change — rows, history, audit, domain events — and
// check that a large message is read without holding what the pipeline cannot keep.
import { expect } from 'chai';
import { inTenantWork, subscribe } from '../../src/db/unit-of-work.js';
import type { RaisedEvent } from '../../src/current.js';
import { actingAs, actorOf } from '../../src/domain/actor.js';
import { Contact } from '../../src/domain/contact/contact.js';
import { openTicket } from '../../src/domain/ticket/open-ticket.js';
import { addReply } from '../../src/domain/ticket/replies.js';
import { Ticket } from '../../src/domain/ticket/ticket.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { MAX_FILE_BYTES } from '../../src/domain/ticket/attachments.js';
import { ingestMessage } from '../../src/inbound/ingest.js';
import { parseMail, TEXT_CAP } from '../../src/inbound/parse.js';
import { setRuleWaker } from '../../src/domain/rule/subscriber.js';
import { h, loadFixtures, sql, type Fixtures } from '../support/index.js';
import { statementsOf } from '../support/statements.js';

/** The events units of work raise meanwhile (before commit, as the rules engine will see them). */
function recordEvents(): { events: RaisedEvent[]; stop: () => void } {
  const events: RaisedEvent[] = [];
  const stop = subscribe({ name: 'test', async beforeCommit(raised) { events.push(...raised); } });
  return { events, stop };
}

/** An event without the ids that differ between two tickets. */
const shape = (e: RaisedEvent) => {
  const { ticketId: _t, number: _n, messageId: _m, ...rest } = e as RaisedEvent & { ticketId?: number; number?: number; messageId?: number };
  return rest;
};

describe('What ingest writes', function () {
  this.timeout(60_000);
  let f: Fixtures;
  beforeEach(async () => {
    f = await loadFixtures();
  });
  const ingest = (raw: string | Buffer) => ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: Buffer.from(raw) });
  const mail = (id: string, subject: string, body = 'Hello') =>
    `From: Mario Rossi <mario@rossi.test>\nTo: support@acme.test\nSubject: ${subject}\nMessage-ID: <${id}>\nContent-Type: text/plain\n\n${body}\n`;

  /** Runs `fn` as Mario in a unit of work of acme, with his contact and the tenant loaded. */
  const asMario = <T>(fn: (em: Parameters<Parameters<typeof inTenantWork>[1]>[0]['em'], tenant: Tenant, mario: Contact) => Promise<T>) =>
    inTenantWork(f.acme.id, async (work) => {
      const tenant = await work.em.findOneOrFail(Tenant, { id: f.acme.id });
      const mario = await work.em.findOneOrFail(Contact, { email: 'mario@rossi.test' }, { populate: ['customer'] });
      return actingAs(actorOf(mario), () => fn(work.em, tenant, mario));
    });

  const ticketRow = async (number: number) => (await sql(
    `select status, priority, type, source, customer_id, contact_id, assignee_id, automatic, updated_at - created_at < interval '1 second' as fresh from tickets where number = $1`, [number]))[0];
  const historyOf = (number: number) => sql(
    `select e.actor_kind, e.actor_name, e.field, e.from_value, replace(e.to_value, '#' || t.number, '#n') as to_value
     from ticket_events e join tickets t on t.id = e.ticket_id where t.number = $1 order by e.id`, [number]);
  const auditOf = (number: number) => sql(
    `select a.actor_kind, a.actor_id, a.actor_name, a.action, a.subject_type, a.details - 'number' as details, (a.details->>'number')::int = t.number as numbered
     from audit_events a join tickets t on t.id = a.subject_id and a.subject_type = 'ticket' where t.number = $1 order by a.id`, [number]);

  it('opens a ticket with the rows, history, audit event and domain event openTicket makes', async () => {
    const recorded = recordEvents();
    try {
      const byVerb = await asMario(async (em, tenant, mario) => (await openTicket(em, tenant, { contact: mario, title: 'By hand', description: 'Same', source: 'email' })).number);
      const result = await ingest(mail('w1@rossi.test', 'By mail', 'Same'));
      expect(result.outcome).to.equal('ticket_created');
      const [{ number: byMail }] = await sql<{ number: number }>('select number from tickets where id = $1', [result.ticketId]);
      expect(byMail).to.equal(byVerb + 1);
      expect(await ticketRow(byMail)).to.deep.equal(await ticketRow(byVerb));
      expect(await historyOf(byMail)).to.deep.equal(await historyOf(byVerb)).and.to.have.length(1);
      expect(await auditOf(byMail)).to.deep.equal(await auditOf(byVerb)).and.to.have.length(1);
      expect(recorded.events.map(shape)).to.deep.equal([
        { type: 'ticket.created', source: 'email', automatic: false, origin: { kind: 'contact', id: f.contacts.mario.id, name: 'Mario Rossi' } },
        { type: 'ticket.created', source: 'email', automatic: false, origin: { kind: 'contact', id: f.contacts.mario.id, name: 'Mario Rossi' } },
      ]);
    } finally {
      recorded.stop();
    }
  });

  it('adds a reply to a resolved ticket as addReply does: the message, reopened, its history and events', async () => {
    const [first, second] = await asMario(async (em, tenant, mario) => [
      (await openTicket(em, tenant, { contact: mario, title: 'One', source: 'email' })).number,
      (await openTicket(em, tenant, { contact: mario, title: 'Two', source: 'email' })).number,
    ]);
    await sql(`update tickets set status = 'resolved', updated_at = now() - interval '1 day'`);
    const recorded = recordEvents();
    try {
      await asMario(async (em, tenant, mario) => {
        const ticket = await em.findOneOrFail(Ticket, { number: first });
        await addReply(em, tenant, ticket, { body: 'Still broken.', author: mario });
      });
      expect((await ingest(mail('w2@rossi.test', `Re: [#${second}] Two`, 'Still broken.'))).outcome).to.equal('message_added');
    } finally {
      recorded.stop();
    }
    const messageOf = async (number: number) => (await sql(
      `select m.author_kind, m.author_contact_id, m.author_technician_id, m.body, m.internal, m.automatic from ticket_messages m join tickets t on t.id = m.ticket_id where t.number = $1`, [number]));
    expect(await messageOf(second)).to.deep.equal(await messageOf(first)).and.to.have.length(1);
    const state = (number: number) => sql(`select status, updated_at > now() - interval '1 hour' as touched from tickets where number = $1`, [number]);
    expect(await state(second)).to.deep.equal(await state(first)).and.to.deep.equal([{ status: 'open', touched: true }]);
    expect(await historyOf(second)).to.deep.equal(await historyOf(first));
    expect((await historyOf(second)).map((e) => [e.field, e.from_value, e.to_value])).to.deep.equal([['created', null, '#n'], ['status', 'resolved', 'open']]);
    const [byVerb, byMail] = [recorded.events.slice(0, 2), recorded.events.slice(2)];
    expect(byMail.map(shape)).to.deep.equal(byVerb.map(shape));
    expect(byMail.map((e) => e.type)).to.deep.equal(['ticket.status_changed', 'ticket.contact_responded']);
  });

  it('queues for the rules what the verbs queue, once, in the statement that opens the ticket or adds the message', async () => {
    for (const trigger of ['ticket_created', 'contact_responded', 'status_changed', 'technician_responded']) {
      await sql('insert into ticket_rules (tenant_id, position, name, trigger, active) values ($1, 1, $2, $2, true)', [f.acme.id, trigger]);
    }
    const woken: number[] = [];
    const previous = setRuleWaker(async (tenantId) => { woken.push(tenantId); });
    const queued = async () => (await sql<{ ticket_id: number; type: string; payload: Record<string, unknown>; origin: unknown }>(
      'select ticket_id, type, payload, origin from ticket_rule_events order by id'));
    const shapeOf = (rows: Array<{ ticket_id: number; type: string; payload: Record<string, unknown>; origin: unknown }>) =>
      rows.map(({ type, payload: { number: _n, messageId: _m, ...payload }, origin }) => ({ type, payload, origin }));
    try {
      // A new ticket: by the verb (its subscriber queues), then by mail (its own statement does).
      await asMario(async (em, tenant, mario) => openTicket(em, tenant, { contact: mario, title: 'By hand', source: 'email' }));
      const byVerb = await queued();
      await sql('delete from ticket_rule_events');
      // Answers go to the workspace's first enabled support address (the message came to none of them).
      for (const [address, enabled] of [['old@acme.test', false], ['help@acme.test', true], ['sales@acme.test', true]] as const) {
        await sql(`insert into mailboxes (tenant_id, address, host, port, tls, username, password_sealed, password_key_version, enabled)
          values ($1, $2, 'imap.acme.test', 993, 'tls', $2, 'sealed', 1, $3)`, [f.acme.id, address, enabled]);
      }
      const opened = await statementsOf(() => ingest(mail('q1@rossi.test', 'By mail')));
      const byMail = await queued();
      expect(shapeOf(byMail)).to.deep.equal(shapeOf(byVerb)).and.to.have.length(1);
      const [ticket] = await sql<{ id: number; number: number }>("select id, number from tickets where title = 'By mail'");
      expect(byMail[0]).to.include({ ticket_id: ticket.id, type: 'ticket.created' });
      expect(byMail[0].payload).to.deep.equal({ number: ticket.number, source: 'email', automatic: false });
      expect(opened.filter((q) => /ticket_rule_events/.test(q))).to.have.length(1);
      expect(opened.filter((q) => /^\s*insert into ticket_rule_events/.test(q))).to.deep.equal([]);
      // The notifications that are on, and what they need besides the ticket, are known with the
      // message's facts (it names no ticket): they are rendered before the ticket is written, and
      // the statement that writes it queues them, claiming each send and writing only the claimed
      // emails, and takes the commit with it: the begin with the facts, the write and the commit
      // (the jobs woken after it).
      const unit = opened.slice(0, opened.indexOf('commit') + 1);
      expect(unit.map((q) => q.replace(/\s+/g, ' ').trim().slice(0, 32))).to.deep.equal([
        "begin; select set_config('app.te", 'select m.id as existing_id, m.ou', 'with n as (update tenants set ne', 'commit']);
      expect(unit[1]).to.match(/row_to_json\(nf\)/);
      expect(unit[2]).to.match(/insert into notification_sends/).and.to.match(/insert into outbound_emails/);
      expect(opened.filter((q) => /^\s*select kind, template_id/.test(q))).to.deep.equal([]);
      expect(opened.filter((q) => /insert into outbound_emails/.test(q))).to.have.length(1).and.to.match(/insert into notification_sends/);
      const technicians = (await sql<{ email: string }>('select email from technicians where tenant_id = $1 and active order by email', [f.acme.id])).map((t) => t.email);
      const emails = await sql<{ to_address: string; subject: string; reply_to: string | null; auto_submitted: boolean; credential_target: unknown }>(
        'select to_address, subject, reply_to, auto_submitted, credential_target from outbound_emails where ticket_id = $1 order by id', [ticket.id]);
      expect(emails.map((e) => `${e.to_address} ${e.subject}`)).to.deep.equal([
        `mario@rossi.test [#${ticket.number}] We received your request: By mail`,
        ...technicians.map((t) => `${t} [#${ticket.number}] New ticket: By mail`),
      ]);
      expect(emails.every((e) => e.auto_submitted && e.credential_target === null)).to.equal(true);
      expect(emails.map((e) => e.reply_to)).to.deep.equal(['help@acme.test', ...technicians.map(() => null)]);
      expect(await sql('select kind, recipient from notification_sends where event_key = $1 order by id', [`ticket:${ticket.id}`])).to.deep.equal([
        { kind: 'ticket_received', recipient: 'mario@rossi.test' }, ...technicians.map((t) => ({ kind: 'new_ticket', recipient: t })),
      ]);
      expect(woken).to.deep.equal([f.acme.id, f.acme.id]);

      // A reply reopening a resolved ticket: status changed, then contact responded.
      await sql("update tickets set status = 'resolved'");
      await sql('delete from ticket_rule_events');
      await asMario(async (em, tenant) => addReply(em, tenant, await em.findOneOrFail(Ticket, { title: 'By hand' }), { body: 'Still broken.', author: (await em.findOneOrFail(Contact, { email: 'mario@rossi.test' })) }));
      const replyByVerb = await queued();
      await sql('delete from ticket_rule_events');
      expect((await ingest(mail('q2@rossi.test', `Re: [#${ticket.number}] By mail`, 'Still broken.'))).outcome).to.equal('message_added');
      const replyByMail = await queued();
      expect(shapeOf(replyByMail)).to.deep.equal(shapeOf(replyByVerb)).and.to.have.length(2);
      expect(replyByMail.map((r) => r.type)).to.deep.equal(['ticket.status_changed', 'ticket.contact_responded']);
      const [message] = await sql<{ id: number }>("select id from ticket_messages where email_message_id = '<q2@rossi.test>'");
      expect(replyByMail[1].payload).to.deep.equal({ messageId: message.id, automatic: false });
      expect(replyByMail.every((r) => r.ticket_id === ticket.id)).to.equal(true);

      // With no active rule of their triggers, nothing is queued, and the rules are not woken.
      await sql('update ticket_rules set active = false');
      await sql('delete from ticket_rule_events');
      woken.length = 0;
      expect((await ingest(mail('q3@rossi.test', 'Nobody listens'))).outcome).to.equal('ticket_created');
      expect(await queued()).to.deep.equal([]);
      expect(woken).to.deep.equal([]);
    } finally {
      setRuleWaker(previous);
    }
  });

  it('reads a large message keeping its first characters of text and its small files, counting the files over the limit', async () => {
    const line = `${'x'.repeat(998)}\r\n`;
    const text = line.repeat(Math.ceil((6 * 1024 * 1024) / line.length));
    const big = Buffer.alloc(MAX_FILE_BYTES + 1024 * 1024, 5).toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = Buffer.from([
      'From: Mario Rossi <mario@rossi.test>', 'To: support@acme.test', 'Subject: Big dump', 'Message-ID: <big1@rossi.test>', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain; charset=utf-8', '', `START ${text}END`,
      '--b', 'Content-Type: application/octet-stream; name="big.bin"', 'Content-Disposition: attachment; filename="big.bin"', 'Content-Transfer-Encoding: base64', '', big,
      '--b', 'Content-Type: text/plain; name="notes.txt"', 'Content-Disposition: attachment; filename="notes.txt"', '', 'the notes', '--b--', '',
    ].join('\r\n'));
    const parsed = await parseMail(raw);
    expect(parsed.text).to.have.length(TEXT_CAP);
    expect(parsed.text.startsWith(`START ${'x'.repeat(998)}\n`)).to.equal(true);
    expect(parsed.attachments.map((a) => [a.name, a.size, a.bytes.length])).to.deep.equal([['big.bin', MAX_FILE_BYTES + 1024 * 1024, 0], ['notes.txt', 9, 9]]);

    const result = await ingest(raw);
    expect(result.outcome).to.equal('ticket_created');
    expect(await sql('select file_name, size from attachments')).to.deep.equal([{ file_name: 'notes.txt', size: 9 }]);
    const [note] = await sql<{ body: string }>(`select body from ticket_messages where author_kind = 'system'`);
    expect(note.body).to.contain('big.bin').and.contain('11');
    const [{ length }] = await sql<{ length: number }>('select length(raw) as length from inbound_messages');
    expect(length).to.equal(raw.length);
  });

  it('renders a new ticket\'s notifications for the number it takes: one taken meanwhile runs the message again, as one ticket with its own number', async () => {
    const [{ next }] = await sql<{ next: number }>('select next_ticket_number as next from tenants where id = $1', [f.acme.id]);
    // Another opening holds the workspace's row (its number taken, not yet committed) while the message's facts are read.
    const other = await h().owner.connect();
    try {
      await other.query('begin');
      await other.query('update tenants set next_ticket_number = next_ticket_number + 1 where id = $1', [f.acme.id]);
      let sent: string[] = [];
      const ingested = statementsOf(async () => expect((await ingest(mail('race1@rossi.test', 'Raced'))).outcome).to.equal('ticket_created')).then((s) => { sent = s; });
      // The message's statement waits for that row; the other opening commits, with the number the message had read.
      for (let k = 0; k < 200; k++) {
        const waiting = await sql(`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%update tenants set next_ticket_number%'`);
        if (waiting.length) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await other.query('commit');
      await ingested;
      // Its first unit found the number taken and wrote nothing; the second opened the ticket the usual way.
      expect(sent.filter((q) => /^\s*select m\.id as existing_id/.test(q))).to.have.length(2);
    } finally {
      other.release();
    }
    const tickets = await sql<{ id: number; number: number }>("select id, number from tickets where title = 'Raced'");
    expect(tickets.map((t) => t.number)).to.deep.equal([next + 1]);
    expect(await sql('select message_key, outcome, ticket_id from inbound_messages')).to.deep.equal([{ message_key: '<race1@rossi.test>', outcome: 'ticket_created', ticket_id: tickets[0].id }]);
    const emails = await sql<{ subject: string }>('select subject from outbound_emails where ticket_id = $1 order by id', [tickets[0].id]);
    expect(emails.length).to.be.greaterThan(0);
    expect(emails.every((e) => e.subject.startsWith(`[#${next + 1}]`))).to.equal(true);
    expect(await sql('select count(*)::int as n from notification_sends where event_key = $1', [`ticket:${tickets[0].id}`])).to.deep.equal([{ n: emails.length }]);
    expect(await sql("select count(*)::int as n from audit_events where action = 'ticket.opened'")).to.deep.equal([{ n: 1 }]);
  });

  it('leaves nothing of a new ticket whose statement (with its notifications and the commit) fails: the message is retried, no email queued', async () => {
    await sql(`create or replace function refuse_ticket() returns trigger language plpgsql as $$ begin if new.title = 'Will fail' then raise exception 'disk full'; end if; return new; end $$`);
    await sql('create trigger refuse_ticket before insert on tickets for each row execute function refuse_ticket()');
    try {
      const sent = await statementsOf(async () => expect(await ingest(mail('fail1@rossi.test', 'Will fail'))).to.deep.equal({ outcome: 'retrying', reason: 'error' }));
      expect(sent.some((q) => /insert into notification_sends/.test(q))).to.equal(true);
    } finally {
      await sql('drop trigger refuse_ticket on tickets');
    }
    expect(await sql('select count(*)::int as n from tickets')).to.deep.equal([{ n: 0 }]);
    expect(await sql('select message_key, outcome, attempts, ticket_id, raw is not null as kept from inbound_messages')).to.deep.equal([
      { message_key: '<fail1@rossi.test>', outcome: 'retrying', attempts: 1, ticket_id: null, kept: true }]);
    expect(await sql('select count(*)::int as n from outbound_emails')).to.deep.equal([{ n: 0 }]);
    expect(await sql('select count(*)::int as n from notification_sends')).to.deep.equal([{ n: 0 }]);
    // Retried, it opens its ticket and tells its people once.
    expect((await ingest(mail('fail1@rossi.test', 'Will not fail'))).outcome).to.equal('ticket_created');
    const [ticket] = await sql<{ id: number }>('select id from tickets');
    expect(await sql('select outcome, attempts, ticket_id from inbound_messages')).to.deep.equal([{ outcome: 'ticket_created', attempts: 1, ticket_id: ticket.id }]);
    expect((await sql<{ n: number }>('select count(*)::int as n from outbound_emails where ticket_id = $1', [ticket.id]))[0].n).to.be.greaterThan(0);
  });
});
