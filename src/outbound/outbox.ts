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

export function queueEmail(em: Em, tenant: Tenant, email: NewEmail): OutboundEmail {
  const row = em.create(OutboundEmail, {
    tenant,
    kind: email.kind,
    toAddress: email.to.address,
    toName: email.to.name ?? null,
    subject: email.subject.slice(0, 500),
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

/**
 * Wakes the dispatcher, once the current unit of work commits, for outbox rows written as
 * plain SQL rather than by queueEmail (the notifications write theirs in one statement:
 * domain/notification/subscriber.ts), as queueEmail does for each of its own.
 */
export function dispatchAfterCommit(tenantId: number, emailIds: readonly number[]): void {
  for (const id of emailIds) {
    afterCommit(async () => {
      if (dispatcher) await dispatcher(tenantId, id);
    });
  }
}
