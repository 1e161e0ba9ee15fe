// The templates the notifications ship with, in the catalogue (notifications.defaults and
// defaults.ticketReceived), in any language. A workspace gets each as a row of Email
// Templates, written in its language and marked `shipped` with its notification; while the
// mark stays, the email is sent in the recipient's language — the contact's, the technician's
// own, else the workspace's — from the catalogue. Saving a change to it in Email Templates
// takes the mark away: from then on it is sent as the admin wrote it, to everyone.
import { speakerFor } from '../../i18n/translate.js';
import type { Language } from '../../i18n/languages.js';
import { snippetPlaceholder } from '../email/snippets.js';
import type { Tenant } from '../tenant/tenant.js';
import { NOTIFICATION_KINDS, specOf, type NotificationKind } from './kinds.js';

export interface ShippedText { name: string; subject: string; body: string }

export const isShipped = (value: unknown): value is NotificationKind => (NOTIFICATION_KINDS as readonly unknown[]).includes(value);

/** The shipped template of `kind` in `language`, its snippets named in that language. */
export function shippedText(kind: NotificationKind, tenant: Pick<Tenant, 'language' | 'edition'>, language: Language = tenant.language): ShippedText {
  // The same words each time (the catalogue does not change while the app runs): made once per kind, language and edition.
  const key = `${kind}|${language}|${tenant.edition}`;
  let text = made.get(key);
  if (!text) {
    if (made.size > 500) made.clear();
    made.set(key, text = make(kind, tenant.edition, language));
  }
  return { ...text };
}

const made = new Map<string, ShippedText>();

function make(kind: NotificationKind, edition: Tenant['edition'], language: Language): ShippedText {
  const speaker = speakerFor(language, edition);
  const s = (key: string) => snippetPlaceholder(key, speaker);
  const snippets = {
    company: s('company.name'), firstName: s('contact.firstName'), contact: s('contact.fullName'), customer: s('customer.name'),
    number: s('ticket.number'), title: s('ticket.title'), status: s('ticket.status'), priority: s('ticket.priority'),
    description: s('ticket.description'), portalLink: s('ticket.portalLink'), ticketLink: s('ticket.link'), technician: s('technician.name'),
    message: s('message.text'),
  };
  const { template } = specOf(kind);
  return { name: speaker.t(template.name), subject: speaker.t(template.subject, snippets), body: speaker.t(template.body, snippets) };
}
