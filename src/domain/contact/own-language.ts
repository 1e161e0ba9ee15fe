// A contact's own language, chosen on the portal's account page: the portal and the
// emails sent to them speak it; null means the workspace's. A code Sportello does not
// speak (a forged form) is null too: never an error.
import type { Em } from '../../db/orm.js';
import { isLanguage } from '../../i18n/languages.js';
import { audit } from '../audit/audit-event.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Contact } from './contact.js';

export async function chooseOwnLanguage(em: Em, tenant: Tenant, contact: Contact, value: unknown): Promise<void> {
  const language = isLanguage(value) ? value : null;
  if ((contact.language ?? null) === language) return;
  contact.language = language;
  audit(em, tenant, 'contact.language_chosen', { type: 'contact', id: contact.id }, { language });
  await em.flush();
}
