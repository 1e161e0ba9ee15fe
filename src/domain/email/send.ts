// Sending a template to a contact: plain snippets resolved now, credential
// snippets left as markers for the send job to mint (never stored in clear).
import { wrap } from '@mikro-orm/core';
import type { Em } from '../../db/orm.js';
import { credentialMarkersIn } from '../../outbound/credentials.js';
import type { OutboundEmail } from '../../outbound/outbound-email.js';
import { queueEmail } from '../../outbound/outbox.js';
import { renderHtmlDocument, renderSnippets, type SnippetContext } from './snippets.js';
import { audit } from '../audit/audit-event.js';
import type { ContactTokenPurpose } from '../contact/portal-credentials.js';
import type { Contact } from '../contact/contact.js';
import type { Technician } from '../technician/technician.js';
import { Tenant } from '../tenant/tenant.js';
import type { Ticket } from '../ticket/ticket.js';
import type { EmailTemplate } from './email-template.js';
import type { Language } from '../../i18n/languages.js';
import { isShipped, shippedText } from '../notification/shipped.js';

export interface TemplateSend {
  kind: string;
  contact: Contact;
  ticket?: Ticket | null;
  technician?: Technician | null;
  /** What a {[Portal Password Link]} is for: an invitation (72 h, the default) or a reset (1 h). */
  linkPurpose?: ContactTokenPurpose;
  /** System mail (welcome, reset, rules): `Auto-Submitted: auto-generated`. */
  autoSubmitted?: boolean;
  /** The language the values speak when the recipient is not the contact (a technician). */
  language?: Language | null;
  /** {[Message Text]}, and whether it is a technician's prepared reply (its credential markers kept). */
  message?: string | null;
  messageIsPreparedReply?: boolean;
}

/**
 * Subject, text and HTML of a template for this contact (and ticket), credentials as markers.
 * A shipped template still as shipped (notification/shipped.ts) speaks the recipient's language:
 * `send.language` (a technician's), else the contact's, else the workspace's.
 */
export async function renderTemplate(em: Em, given: Tenant, givenTemplate: Pick<EmailTemplate, 'subject' | 'body' | 'shipped'>, send: Omit<TemplateSend, 'kind'>) {
  // The tenant's name and edition are needed: a bare reference is loaded.
  const tenant = wrap(given, true).isInitialized() ? given : await em.findOneOrFail(Tenant, { id: given.id });
  await em.populate(send.contact, ['customer']);
  if (send.ticket) await em.populate(send.ticket, ['customer']);
  return renderLoaded(tenant, givenTemplate, send);
}

/**
 * renderTemplate on what is loaded already: the workspace (name, slug, language, edition),
 * the contact and the ticket each with its customer. The notifications read them in one
 * statement of plain SQL (notification/subscriber.ts) and render here, in memory.
 */
export function renderLoaded(tenant: Tenant, givenTemplate: Pick<EmailTemplate, 'subject' | 'body' | 'shipped'>, send: Omit<TemplateSend, 'kind'>) {
  const template = isShipped(givenTemplate.shipped)
    ? shippedText(givenTemplate.shipped, tenant, send.language ?? send.contact.language ?? tenant.language)
    : givenTemplate;
  const ctx: SnippetContext = { tenant, contact: send.contact, ticket: send.ticket, technician: send.technician, language: send.language,
    message: send.message, messageIsPreparedReply: send.messageIsPreparedReply };
  // A subject never carries a credential: a prepared reply there is a value like any other.
  const subject = renderSnippets(template.subject, { ...ctx, messageIsPreparedReply: false }).replace(/\s+/g, ' ').trim();
  return { subject, text: renderSnippets(template.body, ctx), html: renderHtmlDocument(template.body, ctx) };
}

export async function sendTemplate(em: Em, tenant: Tenant, template: Pick<EmailTemplate, 'name' | 'subject' | 'body'>, send: TemplateSend): Promise<OutboundEmail> {
  const { subject, text, html } = await renderTemplate(em, tenant, template, send);
  const markers = credentialMarkersIn(text);
  const email = queueEmail(em, tenant, {
    kind: send.kind,
    to: { address: send.contact.email, name: send.contact.fullName },
    subject, text, html,
    credentialTarget: markers.length ? { contactId: send.contact.id, purpose: send.linkPurpose ?? 'invite' } : null,
    autoSubmitted: send.autoSubmitted ?? false,
    ticketId: send.ticket?.id ?? null,
    contactId: send.contact.id,
  });
  if (markers.length) {
    audit(em, tenant, 'contact.credentials_queued', { type: 'contact', id: send.contact.id }, {
      template: template.name, kind: send.kind, credentials: markers,
    });
  }
  await em.flush();
  return email;
}
