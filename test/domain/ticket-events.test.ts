// The ticket verbs raise typed domain events into their unit of work, each with its
// origin (who acted); subscribers run once per unit of work: before commit in the
// transaction (their writes commit and roll back with it), after commit only when it
// committed, and a subscriber's own changes never set them off again.
import { expect } from 'chai';
import { inTenantWork, subscribe, type TenantWork } from '../../src/db/unit-of-work.js';
import { actingAs, actorOf, type Actor } from '../../src/domain/actor.js';
import { Contact } from '../../src/domain/contact/contact.js';
import { Technician } from '../../src/domain/technician/technician.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { assign, changePriority, changeStatus, changeType } from '../../src/domain/ticket/changes.js';
import { isTicketEvent, raiseTicketEvent, type TicketDomainEvent } from '../../src/domain/ticket/events.js';
import { openTicket } from '../../src/domain/ticket/open-ticket.js';
import { addReply } from '../../src/domain/ticket/replies.js';
import { Ticket } from '../../src/domain/ticket/ticket.js';
import type { RaisedEvent } from '../../src/domain/events.js';
import { ingestMessage } from '../../src/inbound/ingest.js';
import { loadFixtures, sql, type Fixtures } from '../support/index.js';

describe('Ticket events', () => {
  let f: Fixtures;
  let committed: RaisedEvent[][];
  let unsubscribe: Array<() => void>;
  beforeEach(async () => {
    f = await loadFixtures();
    committed = [];
    unsubscribe = [subscribe({ name: 'recorder', afterCommit: async (events) => { committed.push([...events]); } })];
  });
  afterEach(() => unsubscribe.forEach((u) => u()));

  const alice = (): Actor => ({ kind: 'technician', id: f.technicians.alice.id, name: 'Alice Admin' });
  const mario = (): Actor => ({ kind: 'contact', id: f.contacts.mario.id, name: 'Mario Rossi' });
  const strip = (events: RaisedEvent[]) => events.map((e) => {
    const { ticketId: _, ...rest } = e as TicketDomainEvent;
    return rest;
  });

  /** One unit of work of acme, acting as `actor`; the events it committed. */
  async function asActor(actor: Actor, fn: (work: TenantWork, tenant: Tenant) => Promise<unknown>): Promise<RaisedEvent[]> {
    const before = committed.length;
    await inTenantWork(f.acme.id, async (work) => fn(work, await work.em.findOneOrFail(Tenant, { id: f.acme.id })), actor);
    expect(committed.length, 'after-commit subscribers ran once').to.equal(before + 1);
    return committed[before];
  }

  async function openOne(): Promise<Ticket> {
    let ticket!: Ticket;
    await asActor(alice(), async ({ em }, tenant) => {
      const contact = await em.findOneOrFail(Contact, { id: f.contacts.mario.id }, { populate: ['customer'] });
      ticket = await openTicket(em, tenant, { contact, title: 'Printer jams', source: 'technician' });
    });
    return ticket;
  }

  const ticketOf = (work: TenantWork, id: number) => work.em.findOneOrFail(Ticket, { id });

  it('openTicket raises ticket.created by whoever opened it', async () => {
    const events = await asActor(mario(), async ({ em }, tenant) => {
      const contact = await em.findOneOrFail(Contact, { id: f.contacts.mario.id }, { populate: ['customer'] });
      await openTicket(em, tenant, { contact, title: 'From the portal', source: 'portal' });
    });
    expect(strip(events)).to.deep.equal([{ type: 'ticket.created', number: 1001, source: 'portal', automatic: false, origin: mario() }]);
  });

  it('each property verb raises exactly its event, with its from and to', async () => {
    const { id } = await openOne();
    const bobId = f.technicians.bob.id;
    expect(strip(await asActor(alice(), async (w, t) => changePriority(w.em, t, await ticketOf(w, id), 'high'))))
      .to.deep.equal([{ type: 'ticket.property_changed', property: 'priority', from: 'medium', to: 'high', origin: alice() }]);
    expect(strip(await asActor(alice(), async (w, t) => changeType(w.em, t, await ticketOf(w, id), 'incident'))))
      .to.deep.equal([{ type: 'ticket.property_changed', property: 'type', from: 'question', to: 'incident', origin: alice() }]);
    expect(strip(await asActor(alice(), async (w, t) => assign(w.em, t, await ticketOf(w, id), await w.em.findOneOrFail(Technician, { id: bobId })))))
      .to.deep.equal([{ type: 'ticket.assignment_changed', from: null, to: bobId, origin: alice() }]);
    expect(strip(await asActor(alice(), async (w, t) => changeStatus(w.em, t, await ticketOf(w, id), 'pending'))))
      .to.deep.equal([{ type: 'ticket.status_changed', from: 'open', to: 'pending', origin: alice() }]);
    expect(strip(await asActor(alice(), async (w, t) => changeStatus(w.em, t, await ticketOf(w, id), 'resolved'))))
      .to.deep.equal([{ type: 'ticket.status_changed', from: 'pending', to: 'resolved', origin: alice() }, { type: 'ticket.resolved', from: 'pending', origin: alice() }]);
    expect(strip(await asActor(alice(), async (w, t) => changeStatus(w.em, t, await ticketOf(w, id), 'closed'))))
      .to.deep.equal([{ type: 'ticket.status_changed', from: 'resolved', to: 'closed', origin: alice() }, { type: 'ticket.closed', from: 'resolved', origin: alice() }]);
    // No change, no event (and no unit with events, so the subscribers are not run).
    await inTenantWork(f.acme.id, async (w) => changeStatus(w.em, await w.em.findOneOrFail(Tenant, { id: f.acme.id }), await ticketOf(w, id), 'closed'), alice());
    expect(committed).to.have.length(7);
  });

  it('addReply raises Technician Responded for a reply or a note, Contact Responded (and the reopening) for the requester', async () => {
    const { id } = await openOne();
    const note = await asActor(alice(), async (w, t) => addReply(w.em, t, await ticketOf(w, id), { body: 'Checking', internal: true, author: await w.em.findOneOrFail(Technician, { id: f.technicians.alice.id }) }));
    expect(strip(note)).to.deep.equal([{ type: 'ticket.technician_responded', messageId: (note[0] as unknown as { messageId: number }).messageId, internal: true, automatic: false, origin: alice() }]);
    await asActor(alice(), async (w, t) => changeStatus(w.em, t, await ticketOf(w, id), 'resolved'));
    const back = await asActor(mario(), async (w, t) => addReply(w.em, t, await ticketOf(w, id), { body: 'Still jams', author: await w.em.findOneOrFail(Contact, { id: f.contacts.mario.id }) }));
    expect(strip(back).map((e) => e.type)).to.deep.equal(['ticket.status_changed', 'ticket.contact_responded']);
    expect(strip(back)[0]).to.deep.equal({ type: 'ticket.status_changed', from: 'resolved', to: 'open', origin: mario() });
    expect(strip(back)[1]).to.include({ automatic: false }).and.to.deep.include({ origin: mario() });
  });

  it('mail ingest raises its events as the sender, and says when the mail was automatic', async () => {
    const ingest = (raw: string) => ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: Buffer.from(raw) });
    expect((await ingest('From: Mario Rossi <mario@rossi.test>\nSubject: Printer\nMessage-ID: <first@rossi.test>\n\nIt jams.\n')).outcome).to.equal('ticket_created');
    expect(strip(committed.at(-1)!)).to.deep.equal([{ type: 'ticket.created', number: 1001, source: 'email', automatic: false, origin: mario() }]);
    await ingest('From: Mario Rossi <mario@rossi.test>\nSubject: Re: Printer\nIn-Reply-To: <first@rossi.test>\nMessage-ID: <second@rossi.test>\n\nStill.\n');
    expect(strip(committed.at(-1)!).map((e) => [e.type, (e as { automatic?: boolean }).automatic, e.origin.kind])).to.deep.equal([['ticket.contact_responded', false, 'contact']]);
    await ingest('From: Mario Rossi <mario@rossi.test>\nSubject: Out of office\nAuto-Submitted: auto-replied\nIn-Reply-To: <first@rossi.test>\nMessage-ID: <third@rossi.test>\n\nAway.\n');
    expect(strip(committed.at(-1)!).map((e) => [e.type, (e as { automatic?: boolean }).automatic, e.origin.kind])).to.deep.equal([['ticket.contact_responded', true, 'contact']]);
    const [history] = await sql<{ actor_kind: string; actor_name: string }>("select actor_kind, actor_name from ticket_events where field = 'created'");
    expect(history).to.deep.equal({ actor_kind: 'contact', actor_name: 'Mario Rossi' });
  });

  it('a before-commit subscriber sees the events in the transaction; its writes commit with the unit, and its own events carry its origin without setting it off again', async () => {
    const { id } = await openOne();
    const seen: string[][] = [];
    const rule: Actor = { kind: 'rule', id: 7, name: 'Urgent incidents' };
    unsubscribe.push(subscribe({
      name: 'escalate',
      async beforeCommit(events, work) {
        seen.push(events.map((e) => e.type));
        // A rule reacting to every status change by changing the status again: without the no-recursion rule, a loop.
        for (const event of events.filter(isTicketEvent)) {
          if (event.type !== 'ticket.status_changed') continue;
          const ticket = await ticketOf(work, event.ticketId);
          await actingAs(rule, () => changeStatus(work.em, ticket.tenant, ticket, event.to === 'pending' ? 'open' : 'pending'));
        }
      },
    }));
    const events = await asActor(alice(), async (w, t) => changeStatus(w.em, t, await ticketOf(w, id), 'pending'));
    expect(seen).to.deep.equal([['ticket.status_changed']]);
    expect(strip(events)).to.deep.equal([
      { type: 'ticket.status_changed', from: 'open', to: 'pending', origin: alice() },
      { type: 'ticket.status_changed', from: 'pending', to: 'open', origin: rule },
    ]);
    expect(await sql('select status from tickets where id = $1', [id])).to.deep.equal([{ status: 'open' }]);
    expect(await sql('select actor_kind, actor_name, to_value from ticket_events where ticket_id = $1 and field = $2 order by id', [id, 'status'])).to.deep.equal([
      { actor_kind: 'technician', actor_name: 'Alice Admin', to_value: 'pending' },
      { actor_kind: 'rule', actor_name: 'Urgent incidents', to_value: 'open' },
    ]);
  });

  it('a before-commit subscriber\'s writes roll back with the unit, and after-commit subscribers do not run', async () => {
    const { id } = await openOne();
    const before = committed.length;
    unsubscribe.push(subscribe({
      name: 'tagger',
      async beforeCommit(_events, work) {
        await work.sql.query("update tickets set title = 'Rewritten by a subscriber' where id = $1", [id]);
        throw new Error('the rule failed');
      },
    }));
    let error: unknown;
    try {
      await inTenantWork(f.acme.id, async (w) => changeStatus(w.em, await w.em.findOneOrFail(Tenant, { id: f.acme.id }), await ticketOf(w, id), 'pending'), alice());
    } catch (e) { error = e; }
    expect((error as Error).message).to.equal('the rule failed');
    expect(await sql('select title, status from tickets where id = $1', [id])).to.deep.equal([{ title: 'Printer jams', status: 'open' }]);
    expect(committed).to.have.length(before);
  });

  it('after-commit subscribers do not run when the work throws, nor hear of a savepoint that failed', async () => {
    const { id } = await openOne();
    const before = committed.length;
    try {
      await inTenantWork(f.acme.id, async (w) => {
        await changeStatus(w.em, await w.em.findOneOrFail(Tenant, { id: f.acme.id }), await ticketOf(w, id), 'pending');
        throw new Error('changed my mind');
      }, alice());
    } catch { /* expected */ }
    expect(committed).to.have.length(before);
    const events = await asActor(alice(), async (w, t) => {
      await w.savepoint(async (em) => {
        await changePriority(em, t, await em.findOneOrFail(Ticket, { id }), 'high');
        throw new Error('undo this part');
      }).catch(() => undefined);
      await changeType(w.em, t, await ticketOf(w, id), 'incident');
    });
    expect(strip(events).map((e) => e.type)).to.deep.equal(['ticket.property_changed']);
    expect(strip(events)[0]).to.include({ property: 'type' });
  });

  it('an event raised outside a unit of work is refused rather than lost; a person is named the same way everywhere', () => {
    expect(() => raiseTicketEvent({ type: 'ticket.closed', ticketId: 1, from: 'resolved' })).to.throw(/outside a unit of work/);
    expect(actorOf(f.technicians.alice)).to.deep.equal({ kind: 'technician', id: f.technicians.alice.id, name: 'Alice Admin' });
  });
});
