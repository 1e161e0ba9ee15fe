// Writing an email to the outbox, in the caller's transaction. Once that
// transaction commits, the dispatcher (the job queue) is woken to send it.
import type { Em } from '../db/orm.js';
import { afterCommit } from '../db/unit-of-work.js';
import type { Tenant } from '../domain/tenant/tenant.js';
import { OutboundEmail, type CredentialTarget } from './outbound-email.js';

export interface NewEmail {
  kind: string;
  to: { address: string; name?: string | null };
  subject: string;
  text: string;
  html?: string | null;
  credentialTarget?: CredentialTarget | null;
  replyTo?: string | null;
  inReplyTo?: string | null;
  autoSubmitted?: boolean;
  ticketId?: number | null;
  contactId?: number | null;
}

type Dispatcher = (tenantId: number, emailId: number) => Promise<void>;
let dispatcher: Dispatcher | undefined;

/** The job layer plugs itself in here at start; the domain never sees the queue. Returns the one it replaces. */
export function setDispatcher(next: Dispatcher | undefined): Dispatcher | undefined {
  const previous = dispatcher;
  dispatcher = next;
  return previous;
}

/** The longest subject the outbox keeps (longer ones are cut). */
export const SUBJECT_MAX = 500;

/**
 * Emails the caller wrote to outbound_emails itself, queued, in its transaction (the rules
 * engine writes an event's with everything else its rules wrote, in one statement; the
 * notifications theirs in one statement too: domain/notification/subscriber.ts): the
 * dispatcher is woken for each once the transaction commits, as for queueEmail's.
 */
export function dispatchAfterCommit(tenantId: number, emailIds: readonly number[]): void {
  for (const id of emailIds) {
    afterCommit(async () => {
      if (dispatcher) await dispatcher(tenantId, id);
    });
  }
}

export function queueEmail(em: Em, tenant: Tenant, email: NewEmail): OutboundEmail {
  const row = em.create(OutboundEmail, {
    tenant,
    kind: email.kind,
    toAddress: email.to.address,
    toName: email.to.name ?? null,
    subject: email.subject.slice(0, SUBJECT_MAX),
    textBody: email.text,
    htmlBody: email.html ?? null,
    credentialTarget: email.credentialTarget ?? null,
    replyTo: email.replyTo ?? null,
    inReplyTo: email.inReplyTo ?? null,
    autoSubmitted: email.autoSubmitted ?? false,
    ticketId: email.ticketId ?? null,
    contactId: email.contactId ?? null,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: new Date(),
    createdAt: new Date(),
  });
  em.persist(row);
  afterCommit(async () => {
    if (dispatcher) await dispatcher(tenant.id, row.id);
  });
  return row;
}
