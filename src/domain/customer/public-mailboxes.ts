// The workspace's own public mailbox domains (Admin > Email Settings), beside the maintained
// list of free and disposable mail domains: Manage Domains refuses them too, so no customer
// gathers the strangers who share such a mailbox service. Enterprise, like Manage Domains.
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import { msg, type Message } from '../../i18n/translate.js';
import { ValidationError } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { EmailSettings } from '../email/email-settings.js';
import { assertPlanAllows } from '../tenant/plans.js';
import type { Tenant } from '../tenant/tenant.js';
import { domainOwners, normaliseDomain, shownDomain, splitDomains, whyNotAName } from './domains.js';
import { PublicMailDomain } from './public-mail-domain.js';

/** The field a refused value's message sits under (the list's one textarea). */
export const PUBLIC_DOMAINS_FIELD = 'publicDomains';

/** The workspace's own public mailbox domains (stored form), in order. */
export async function workspacePublicDomains(em: Em): Promise<string[]> {
  return (await em.find(PublicMailDomain, {}, { orderBy: { domain: 'asc' } })).map((r) => r.domain);
}

/** The list as its textarea shows it: one domain a line, in Unicode. */
export function publicDomainsText(domains: string[]): string {
  return domains.map(shownDomain).join('\n');
}

/**
 * Saves the workspace's list as typed (commas, spaces or new lines between the names), the
 * whole list or nothing: a name that is no domain, or that a customer owns (remove it there
 * first), is refused with a message per value (field `domain:<typed>`). Audited.
 */
export async function setWorkspacePublicDomains(em: Em, tenant: Tenant, input: { domains?: unknown }): Promise<{ added: string[]; removed: string[] }> {
  assertPlanAllows(tenant, 'manage_domains');
  // Two saves at once take turns (on the settings row), so neither adds a name the other just did.
  await lockForChange(em, EmailSettings, {});
  const errors: Record<string, Message> = {};
  const wanted = new Map<string, string>();
  for (const typed of splitDomains(typeof input.domains === 'string' ? input.domains : '')) {
    const domain = normaliseDomain(typed);
    const why = whyNotAName(domain, typed);
    if (why) errors[`domain:${typed}`] ??= why;
    else if (!wanted.has(domain)) wanted.set(domain, typed);
  }
  for (const [domain, owner] of await domainOwners(em, [...wanted.keys()])) {
    errors[`domain:${wanted.get(domain)}`] ??= msg('emailSettings.publicDomains.errors.owned', { domain: owner.domain, name: owner.name });
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);

  const current = await em.find(PublicMailDomain, {});
  const removed = current.filter((d) => !wanted.has(d.domain));
  const added = [...wanted.keys()].filter((domain) => !current.some((d) => d.domain === domain));
  for (const d of removed) em.remove(d);
  for (const domain of added) em.create(PublicMailDomain, { tenant, domain, createdAt: new Date() });
  const change = { added, removed: removed.map((d) => d.domain) };
  if (added.length + removed.length > 0) audit(em, tenant, 'email_settings.public_domains_changed', { type: 'tenant', id: tenant.id }, change);
  await em.flush();
  return change;
}
