// The verbs of email templates, quick replies and the email settings.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import { Checker, NotFoundError, ValidationError, text, type FieldErrors, type Message } from '../../lib/validation.js';
import { unknownSnippets, unknownSnippetsMessage, usesCredentials } from './snippets.js';
import { audit } from '../audit/audit-event.js';
import { termsFor, type Terms } from '../tenant/terms.js';
import type { Tenant } from '../tenant/tenant.js';
import { EmailSettings, TEMPLATE_SETTINGS } from './email-settings.js';
import { EmailTemplate } from './email-template.js';
import { QuickReply } from './quick-reply.js';
import { emailSettingsOf } from './defaults.js';
import { templateUsesInRules } from '../rule/uses.js';
import { templateUsesInNotifications } from '../notification/uses.js';
import { isShipped, shippedText } from '../notification/shipped.js';

export const BODY_MAX = 50_000;

export interface TemplateInput { name?: unknown; subject?: unknown; body?: unknown }
export interface QuickReplyInput { name?: unknown; body?: unknown }

const multiline = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '');

function checkSnippets(check: Checker, field: string, value: string, tenant: Tenant): void {
  const unknown = unknownSnippets(value, tenant.edition);
  if (unknown.length) check.add(field, unknownSnippetsMessage(unknown, tenant));
}

function readTemplate(input: TemplateInput, tenant: Tenant) {
  const values = { name: text(input.name), subject: text(input.subject), body: multiline(input.body) };
  const check = new Checker()
    .require('name', values.name, 'templates.fields.name')
    .require('subject', values.subject, 'templates.fields.subject', 500)
    .require('body', values.body, 'templates.fields.body', BODY_MAX);
  checkSnippets(check, 'subject', values.subject, tenant);
  if (usesCredentials(values.subject, tenant.edition)) check.add('subject', 'templates.errors.credentialsInSubject');
  checkSnippets(check, 'body', values.body, tenant);
  return { values, check };
}

/**
 * The template with this id, or NotFound. `forChange` locks its row until the unit of
 * work ends (see db/locks.ts) — after the settings row, the order a settings save takes
 * them in (settings, then the templates it names): a deletion and a save racing then
 * take turns, and whichever comes second sees what the first did (instead of a save
 * pointing at a template just deleted).
 */
export async function templateById(em: Em, id: number, options: { forChange?: boolean } = {}): Promise<EmailTemplate> {
  if (options.forChange) await lockForChange(em, EmailSettings, {});
  if (options.forChange && !(await lockForChange(em, EmailTemplate, { id }))) throw new NotFoundError();
  return em.findOneOrFail(EmailTemplate, { id });
}

/** The quick reply with this id, or NotFound. `forChange` locks its row until the unit of work ends (see db/locks.ts). */
export async function quickReplyById(em: Em, id: number, options: { forChange?: boolean } = {}): Promise<QuickReply> {
  if (options.forChange && !(await lockForChange(em, QuickReply, { id }))) throw new NotFoundError();
  return em.findOneOrFail(QuickReply, { id });
}

async function nameTaken(em: Em, entity: typeof EmailTemplate | typeof QuickReply, name: string, exceptId?: number): Promise<boolean> {
  const rows = await em.find(entity as typeof EmailTemplate, {}, { fields: ['id', 'name'] });
  return rows.some((r) => r.name.toLowerCase() === name.toLowerCase() && r.id !== exceptId);
}

const TEMPLATE_TAKEN = 'templates.errors.templateNameTaken';
const QUICK_REPLY_TAKEN = 'templates.errors.quickReplyNameTaken';

/** The unique index on (tenant, lower(name)) backs the lookup when two saves race. */
async function flushNamed(em: Em, name: string, taken: string): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new ValidationError({ name: { key: taken, params: { name } } });
    throw error;
  }
}

export async function createTemplate(em: Em, tenant: Tenant, input: TemplateInput): Promise<EmailTemplate> {
  const { values, check } = readTemplate(input, tenant);
  if (values.name && await nameTaken(em, EmailTemplate, values.name)) check.add('name', { key: TEMPLATE_TAKEN, params: { name: values.name } });
  check.throwIfAny();
  const template = em.create(EmailTemplate, { tenant, ...values, createdAt: new Date(), updatedAt: new Date() });
  await flushNamed(em, values.name, TEMPLATE_TAKEN);
  audit(em, tenant, 'email_template.created', { type: 'email_template', id: template.id }, { name: values.name });
  await em.flush();
  return template;
}

export async function updateTemplate(em: Em, tenant: Tenant, template: EmailTemplate, input: TemplateInput): Promise<void> {
  const { values, check } = readTemplate(input, tenant);
  if (values.name && await nameTaken(em, EmailTemplate, values.name, template.id)) check.add('name', { key: TEMPLATE_TAKEN, params: { name: values.name } });
  // A notification sends it on every event: credentials in it would reset each requester's portal password unasked (notification/settings.ts).
  if (usesCredentials(values.body, tenant.edition)) {
    const uses = await templateUsesInNotifications(em, template);
    if (uses.length) check.add('body', { key: 'templates.errors.credentialsInNotification', params: { name: template.name, uses: listed(uses) } });
  }
  check.throwIfAny();
  // A shipped template saved as it is stays shipped (sent in each recipient's language); changed, it is the admin's.
  const shipped = isShipped(template.shipped) ? shippedText(template.shipped, tenant) : null;
  const unchanged = shipped !== null && values.subject === shipped.subject && values.body === shipped.body.trim();
  Object.assign(template, values, { updatedAt: new Date(), shipped: unchanged ? template.shipped : null });
  audit(em, tenant, 'email_template.updated', { type: 'email_template', id: template.id }, { name: values.name });
  await flushNamed(em, values.name, TEMPLATE_TAKEN);
}

/**
 * Where a template is used, as messages an admin recognises (the reader's door puts them in
 * words). Later aggregates (automation rules) add theirs.
 */
export type TemplateUseFinder = (em: Em, template: EmailTemplate, terms: Terms) => Promise<Message[]>;
export const templateUseFinders: TemplateUseFinder[] = [
  async (em, template, terms) => {
    const settings = await em.findOne(EmailSettings, {});
    if (!settings) return [];
    return TEMPLATE_SETTINGS.filter((s) => (settings[s.field] as { id: number } | null | undefined)?.id === template.id).map((s) => s.label(terms));
  },
  (em, template) => templateUsesInRules(em, template),
  (em, template) => templateUsesInNotifications(em, template),
];

export async function templateUses(em: Em, tenant: Tenant, template: EmailTemplate): Promise<Message[]> {
  const uses: Message[] = [];
  for (const find of templateUseFinders) uses.push(...await find(em, template, termsFor(tenant.edition)));
  return uses;
}

/** The uses as one message, "a; b; c", each translated for whoever reads it. */
function listed(uses: Message[]): Message {
  const [first, ...rest] = uses.map((m) => (typeof m === 'string' ? { key: m } : m));
  return rest.length ? { key: 'templates.errors.usesList', params: { first, rest: listed(rest) } } : first;
}

/** Refused while the template is in use, naming where. */
export async function deleteTemplate(em: Em, tenant: Tenant, template: EmailTemplate): Promise<void> {
  const uses = await templateUses(em, tenant, template);
  if (uses.length) {
    throw new ValidationError({ template: { key: 'templates.errors.inUse', params: { name: template.name, uses: listed(uses) } } });
  }
  audit(em, tenant, 'email_template.deleted', { type: 'email_template', id: template.id }, { name: template.name });
  em.remove(template);
  await em.flush();
}

function readQuickReply(input: QuickReplyInput, tenant: Tenant) {
  const values = { name: text(input.name), body: multiline(input.body) };
  const check = new Checker().require('name', values.name, 'templates.fields.name').require('body', values.body, 'templates.fields.body', BODY_MAX);
  checkSnippets(check, 'body', values.body, tenant);
  return { values, check };
}

export async function createQuickReply(em: Em, tenant: Tenant, input: QuickReplyInput): Promise<QuickReply> {
  const { values, check } = readQuickReply(input, tenant);
  if (values.name && await nameTaken(em, QuickReply, values.name)) check.add('name', { key: QUICK_REPLY_TAKEN, params: { name: values.name } });
  check.throwIfAny();
  const reply = em.create(QuickReply, { tenant, ...values, createdAt: new Date(), updatedAt: new Date() });
  await flushNamed(em, values.name, QUICK_REPLY_TAKEN);
  audit(em, tenant, 'quick_reply.created', { type: 'quick_reply', id: reply.id }, { name: values.name });
  await em.flush();
  return reply;
}

export async function updateQuickReply(em: Em, tenant: Tenant, reply: QuickReply, input: QuickReplyInput): Promise<void> {
  const { values, check } = readQuickReply(input, tenant);
  if (values.name && await nameTaken(em, QuickReply, values.name, reply.id)) check.add('name', { key: QUICK_REPLY_TAKEN, params: { name: values.name } });
  check.throwIfAny();
  Object.assign(reply, values, { updatedAt: new Date() });
  audit(em, tenant, 'quick_reply.updated', { type: 'quick_reply', id: reply.id }, { name: values.name });
  await flushNamed(em, values.name, QUICK_REPLY_TAKEN);
}

export async function deleteQuickReply(em: Em, tenant: Tenant, reply: QuickReply): Promise<void> {
  audit(em, tenant, 'quick_reply.deleted', { type: 'quick_reply', id: reply.id }, { name: reply.name });
  em.remove(reply);
  await em.flush();
}

export interface SettingsInput {
  autoCreateContacts?: unknown; sendWelcomeEmail?: unknown; ticketsFromAutomatedMail?: unknown; reopenClosedOnReply?: unknown;
  welcomeTemplate?: unknown; resetTemplate?: unknown;
}

const checked = (value: unknown) => value === 'on' || value === 'true' || value === '1' || value === true;

/** Saves the Email Settings form (the **Update** button). */
export async function updateEmailSettings(em: Em, tenant: Tenant, input: SettingsInput): Promise<EmailSettings> {
  // Two saves at once take turns, so each audit event's "before" is what it replaced.
  await lockForChange(em, EmailSettings, {});
  const settings = await emailSettingsOf(em, tenant);
  const templates = await em.find(EmailTemplate, {});
  const errors: FieldErrors = {};
  const chosen: Partial<Record<(typeof TEMPLATE_SETTINGS)[number]['field'], EmailTemplate | null>> = {};
  for (const { field } of TEMPLATE_SETTINGS) {
    const raw = text(input[field]);
    if (!raw) { chosen[field] = null; continue; }
    const template = templates.find((t) => String(t.id) === raw);
    if (!template) errors[field] = 'templates.errors.chooseListed';
    else chosen[field] = template;
  }
  const sendWelcomeEmail = checked(input.sendWelcomeEmail);
  if (sendWelcomeEmail && !chosen.welcomeTemplate && !errors.welcomeTemplate) {
    errors.welcomeTemplate = 'templates.errors.chooseWelcome';
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const flags = (s: typeof settings) => ({ autoCreateContacts: s.autoCreateContacts, sendWelcomeEmail: s.sendWelcomeEmail, ticketsFromAutomatedMail: s.ticketsFromAutomatedMail, reopenClosedOnReply: s.reopenClosedOnReply });
  const before = flags(settings);
  settings.autoCreateContacts = checked(input.autoCreateContacts);
  settings.ticketsFromAutomatedMail = checked(input.ticketsFromAutomatedMail);
  settings.reopenClosedOnReply = checked(input.reopenClosedOnReply);
  settings.sendWelcomeEmail = sendWelcomeEmail;
  Object.assign(settings, chosen);
  settings.updatedAt = new Date();
  audit(em, tenant, 'email_settings.updated', { type: 'email_settings', id: settings.id }, {
    before, after: flags(settings),
    templates: Object.fromEntries(Object.entries(chosen).map(([k, v]) => [k, v?.name ?? null])),
  });
  await em.flush();
  return settings;
}
