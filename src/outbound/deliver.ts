// Sending one outbox email: mint its credentials, hand it to the transport,
// record the outcome. A failure is recorded and retried with backoff.
import { LockMode } from '@mikro-orm/core';
import type { SendMailOptions } from 'nodemailer';
import { config } from '../config.js';
import type { Em } from '../db/orm.js';
import { globalEm, inTenant } from '../db/unit-of-work.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { locales } from '../i18n/languages.js';
import { speakerFor } from '../i18n/translate.js';
import { formatterFor } from '../lib/format.js';
import { loggableMessage } from '../lib/loggable-error.js';
import { log } from '../lib/logger.js';
import { masked, mintInto } from './credentials.js';
import { messageIdFor } from './message-ids.js';
import { OutboundEmail } from './outbound-email.js';
import { compose, deliver } from './transport.js';

export const MAX_ATTEMPTS = 6;
const BACKOFF_SECONDS = [30, 120, 600, 1800, 7200];

export type DeliveryOutcome =
  | { result: 'sent' | 'captured' | 'skipped' | 'failed' }
  | { result: 'retry'; retryAt: Date };

export async function deliverEmail(tenantId: number, emailId: number): Promise<DeliveryOutcome> {
  try {
    return await inTenant(tenantId, async (em) => {
      // Skip a row another worker holds; a row already sent or not yet due is left alone.
      const email = await em.findOne(OutboundEmail, { id: emailId }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE });
      if (!email || email.status !== 'queued' || email.nextAttemptAt.getTime() > Date.now() + 1000) return { result: 'skipped' as const };
      const held = await heldUntil(em, email.toAddress);
      const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
      if (held) {
        // The address bounced: mail to it waits (the Mail Log says why, in the workspace's language) instead of bouncing again.
        const { t, lang } = speakerFor(tenant.language, tenant.edition);
        email.nextAttemptAt = held;
        email.lastError = t('incomingMail.mailLog.held', { address: email.toAddress, until: formatterFor(locales[lang], tenant.timeZone).dateTime(held) });
        await em.flush();
        return { result: 'retry' as const, retryAt: held };
      }
      const [text, html] = await mintInto(em, tenant, email, [email.textBody, email.htmlBody ?? '']);
      const messageId = email.messageId ?? messageIdFor(tenantId, email.ticketId ?? null, email.id);
      const references = await threadReferences(em, email);
      const delivery = await deliver(messageOf(tenant, email, { text, html, messageId, references }), `${tenant.slug}-${email.id}.eml`);
      email.attempts += 1;
      email.status = delivery.status;
      email.messageId = messageId;
      email.sentAt = new Date();
      email.lastError = null;
      email.capturedPath = delivery.capturedPath ?? null;
      await em.flush();
      return { result: delivery.status };
    }, { kind: 'system', name: 'mailer' });
  } catch (error) {
    return recordFailure(tenantId, emailId, error);
  }
}

async function heldUntil(em: Em, address: string): Promise<Date | null> {
  const [row] = await em.execute<Array<{ until: Date }>>('select until from undeliverable_addresses where lower(address) = lower(?) and until > now()', [address]);
  return row ? new Date(row.until) : null;
}

/** The message handed to the transport, from the email and the bodies it goes out with. */
/**
 * The thread's Message-IDs, oldest first (RFC 5322 References): the email the ticket came
 * from, the emails on it but internal notes (a technician's email on the ticket), and ours to
 * the same recipient before this one (a technician's notifications are not in the requester's
 * thread) — so every mail client threads the
 * answer, not only those that read In-Reply-To. At most the last 20.
 */
async function threadReferences(em: Em, email: OutboundEmail): Promise<string[]> {
  if (!email.ticketId) return email.inReplyTo ? [email.inReplyTo] : [];
  const rows = await em.execute<Array<{ id: string }>>(
    `select id from (
       select email_message_id as id, created_at as at from tickets where id = ? and email_message_id is not null
       union all select email_message_id, created_at from ticket_messages where ticket_id = ? and email_message_id is not null and not internal
       union all select message_id, coalesce(sent_at, created_at) from outbound_emails where ticket_id = ? and message_id is not null and id <> ?
                                                                  and lower(to_address) = lower(?)
     ) thread order by at desc limit 20`, [email.ticketId, email.ticketId, email.ticketId, email.id, email.toAddress]);
  const ids = [...new Set(rows.map((r) => r.id).reverse())];
  if (email.inReplyTo && !ids.includes(email.inReplyTo)) ids.push(email.inReplyTo);
  return ids;
}

export function messageOf(tenant: Tenant, email: OutboundEmail, out: { text: string; html: string; messageId: string; date?: Date; references?: string[] }): SendMailOptions {
  const headers: Record<string, string> = {};
  if (email.autoSubmitted) headers['Auto-Submitted'] = 'auto-generated';
  return {
    from: { name: tenant.name, address: config().mailFrom },
    to: email.toName ? { name: email.toName, address: email.toAddress } : email.toAddress,
    replyTo: email.replyTo ?? undefined,
    subject: email.subject,
    text: out.text,
    html: out.html || undefined,
    messageId: out.messageId,
    inReplyTo: email.inReplyTo ?? undefined,
    references: out.references?.length ? out.references : email.inReplyTo ?? undefined,
    date: out.date,
    headers,
  };
}

/**
 * The Mail Log's copy of a captured message (*Open the delivered message*): the
 * message as it was delivered, rebuilt from the stored email, so its credentials
 * are •••••••• — the captured file itself holds the minted ones.
 */
export async function maskedCopy(tenant: Tenant, email: OutboundEmail): Promise<Buffer> {
  return compose(messageOf(tenant, email, {
    text: masked(email.textBody), html: masked(email.htmlBody ?? ''),
    messageId: email.messageId ?? `<sportello.${tenant.id}.${email.id}@${config().mailFrom.split('@')[1]}>`,
    date: email.sentAt ?? email.createdAt,
  }));
}

async function recordFailure(tenantId: number, emailId: number, error: unknown): Promise<DeliveryOutcome> {
  // Logged and shown in the Mail Log: a database error's values are left out.
  const message = loggableMessage(error).slice(0, 1000);
  return inTenant(tenantId, async (em) => {
    const email = await em.findOne(OutboundEmail, { id: emailId });
    if (!email || email.status !== 'queued') return { result: 'skipped' as const };
    email.attempts += 1;
    email.lastError = message;
    if (email.attempts >= MAX_ATTEMPTS) {
      email.status = 'failed';
      log.error({ emailId, tenantId, attempts: email.attempts, error: message }, 'email failed for good');
      await em.flush();
      return { result: 'failed' as const };
    }
    const delay = BACKOFF_SECONDS[Math.min(email.attempts - 1, BACKOFF_SECONDS.length - 1)];
    email.nextAttemptAt = new Date(Date.now() + delay * 1000);
    await em.flush();
    log.warn({ emailId, tenantId, attempts: email.attempts, error: message, retryInSeconds: delay }, 'email send failed; will retry');
    return { result: 'retry' as const, retryAt: email.nextAttemptAt };
  }, { kind: 'system', name: 'mailer' });
}

/** Queued emails of a tenant whose time has come (for the sweep that covers lost wake-ups). */
/**
 * Queued emails of every tenant overdue by `olderThanSeconds`, from outbox_schedule —
 * ids and times only, kept by a trigger on outbound_emails (migration 0011) — so the
 * sweep needs no tenant and no loop over tenants; each is then delivered in its own
 * tenant's unit of work.
 */
export async function dueOutboxEmails(olderThanSeconds = 60, limit = 500): Promise<Array<{ tenantId: number; emailId: number }>> {
  const rows = await globalEm().getConnection().execute<Array<{ tenant_id: number; email_id: number }>>(
    `select tenant_id, email_id from outbox_schedule where next_attempt_at <= now() - make_interval(secs => ?)
      order by next_attempt_at limit ?`, [olderThanSeconds, limit]);
  return rows.map((r) => ({ tenantId: r.tenant_id, emailId: r.email_id }));
}
