// The templates and quick reply every new tenant starts with, in its own words.
// Every shipped template uses the single-use link; only the source article's
// quick reply example carries {[Portal Password]}, as tenants expect it.
import type { Em } from '../../db/orm.js';
import { snippetPlaceholder as s } from './snippets.js';
import { termsFor } from '../tenant/terms.js';
import type { Tenant } from '../tenant/tenant.js';
import { EmailSettings } from './email-settings.js';
import { EmailTemplate } from './email-template.js';
import { QuickReply } from './quick-reply.js';

export async function createDefaultEmailTemplates(em: Em, tenant: Tenant): Promise<void> {
  const t = termsFor(tenant.edition);
  const e = tenant.edition;
  const create = (name: string, subject: string, body: string) => {
    const template = em.create(EmailTemplate, { tenant, name, subject, body, createdAt: new Date(), updatedAt: new Date() });
    em.persist(template);
    return template;
  };
  const sign = `— ${s('company.name', e)}`;
  const welcome = create(`New ${t.contactLower} welcome`, `Welcome to the ${t.portal} of ${s('company.name', e)}`,
    `Hello ${s('contact.firstName', e)},\n\n${s('company.name', e)} has opened a ${t.portal} account for you: there you can open ` +
    `support tickets, follow them and read our knowledge base.\n\nYour username: ${s('portal.username', e)}\n` +
    `Choose your password here (the link works once, for 72 hours):\n${s('portal.passwordLink', e)}\n\n` +
    `Afterwards, sign in at ${s('portal.address', e)}\n\n${sign}\n`);
  create('Portal credentials', `Your ${t.portal} credentials`,
    `Hello,\nFind your portal credentials below:\nURL : ${s('portal.address', e)}\nUsername : ${s('portal.username', e)}\n` +
    `Password : choose it with this single-use link: ${s('portal.passwordLink', e)}\n\n${sign}\n`);
  // For automation rules (New Ticket Created, Technician Responded).
  create('Ticket received', `[#${s('ticket.number', e)}] We received your request: ${s('ticket.title', e)}`,
    `Hello ${s('contact.firstName', e)},\n\nWe have received your request and opened ticket #${s('ticket.number', e)}: ` +
    `${s('ticket.title', e)}.\nStatus: ${s('ticket.status', e)} · Priority: ${s('ticket.priority', e)}\n\n` +
    `Follow it at ${s('ticket.portalLink', e)} or reply to this email.\n\n${sign}\n`);
  create('Technician reply', `[#${s('ticket.number', e)}] ${s('ticket.title', e)}`,
    `Hello ${s('contact.firstName', e)},\n\n${s('technician.name', e)} has answered your ticket #${s('ticket.number', e)}: ` +
    `${s('ticket.title', e)}.\n\nRead and answer it at ${s('ticket.portalLink', e)} or reply to this email.\n\n${sign}\n`);
  const reset = create('Password reset', `Reset your ${t.portal} password`,
    `Hello ${s('contact.firstName', e)},\n\nA new password was asked for ${s('portal.username', e)} on the ${t.portal} of ` +
    `${s('company.name', e)}.\nChoose a new password here (the link works once, for 1 hour):\n${s('portal.passwordLink', e)}\n\n` +
    `If you did not ask for this, ignore this email: your password stays as it is.\n\n${sign}\n`);
  em.persist(em.create(QuickReply, {
    tenant, name: 'Portal credentials', createdAt: new Date(), updatedAt: new Date(),
    body: `Hello,\nFind your portal credentials below:\nURL : ${s('portal.address', e)}\nUsername : ${s('portal.username', e)}\n` +
      `Password : ${s('portal.password', e)}`,
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
