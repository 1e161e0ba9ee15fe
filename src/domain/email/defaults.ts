// The templates and quick reply every new tenant starts with, in its language and its
// edition's words (the catalogue's `defaults`), their snippets named in that language too.
// Every shipped template uses the single-use link; only the source article's quick reply
// example carries {[Portal Password]}, as tenants expect it. A workspace keeps the ones it
// was created with when its language changes later.
import type { Em } from '../../db/orm.js';
import { speakerFor } from '../../i18n/translate.js';
import { snippetPlaceholder } from './snippets.js';
import type { Tenant } from '../tenant/tenant.js';
import { EmailSettings } from './email-settings.js';
import { EmailTemplate } from './email-template.js';
import { QuickReply } from './quick-reply.js';

export async function createDefaultEmailTemplates(em: Em, tenant: Tenant): Promise<void> {
  const speaker = speakerFor(tenant.language, tenant.edition);
  const { t } = speaker;
  const s = (key: string) => snippetPlaceholder(key, speaker);
  // Every snippet a default names, under one name per message parameter.
  const snippets = {
    company: s('company.name'), firstName: s('contact.firstName'), username: s('portal.username'), address: s('portal.address'),
    passwordLink: s('portal.passwordLink'), password: s('portal.password'), number: s('ticket.number'), title: s('ticket.title'),
    status: s('ticket.status'), priority: s('ticket.priority'), portalLink: s('ticket.portalLink'), technician: s('technician.name'),
  };
  const create = (name: string, subject: string, body: string, shipped: string | null = null) => {
    const template = em.create(EmailTemplate, { tenant, name, subject, body, shipped, createdAt: new Date(), updatedAt: new Date() });
    em.persist(template);
    return template;
  };
  const welcome = create(t('defaults.welcome.name'), t('defaults.welcome.subject', snippets), t('defaults.welcome.body', snippets));
  create(t('defaults.credentials.name'), t('defaults.credentials.subject', snippets), t('defaults.credentials.body', snippets));
  // For automation rules (New Ticket Created, Technician Responded).
  // Ticket received is also the notification's: sent in each requester's language until edited (notification/shipped.ts).
  create(t('defaults.ticketReceived.name'), t('defaults.ticketReceived.subject', snippets), t('defaults.ticketReceived.body', snippets), 'ticket_received');
  create(t('defaults.technicianReply.name'), t('defaults.technicianReply.subject', snippets), t('defaults.technicianReply.body', snippets));
  const reset = create(t('defaults.passwordReset.name'), t('defaults.passwordReset.subject', snippets), t('defaults.passwordReset.body', snippets));
  em.persist(em.create(QuickReply, {
    tenant, name: t('defaults.quickReply.name'), body: t('defaults.quickReply.body', snippets), createdAt: new Date(), updatedAt: new Date(),
  }));
  em.persist(em.create(EmailSettings, {
    tenant, autoCreateContacts: false, sendWelcomeEmail: false, updatedAt: new Date(),
    welcomeTemplate: welcome, resetTemplate: reset,
  }));
  await em.flush();
}

/** The tenant's settings row (created with the tenant; recreated if a tenant predates it). */
export async function emailSettingsOf(em: Em, tenant: Tenant): Promise<EmailSettings> {
  const found = await em.findOne(EmailSettings, {}, { populate: ['welcomeTemplate', 'resetTemplate'] });
  if (found) return found;
  const created = em.create(EmailSettings, { tenant, updatedAt: new Date() });
  await em.flush();
  return created;
}
