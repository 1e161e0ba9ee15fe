// What a technician changes about themselves on their profile.
import type { Em } from '../../db/orm.js';
import { isLanguage, type Language } from '../../i18n/languages.js';
import { audit } from '../audit/audit-event.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Technician } from './technician.js';

/**
 * The language Sportello speaks to them: `it`, `en`, or anything else (the form's
 * "workspace language", a forged value) for none of their own — the workspace's.
 */
export async function chooseLanguage(em: Em, tenant: Tenant, technician: Technician, input: unknown): Promise<Language | null> {
  const language = isLanguage(input) ? input : null;
  const from = technician.language ?? null;
  if (language === from) return language;
  technician.language = language;
  audit(em, tenant, 'technician.language_changed', { type: 'technician', id: technician.id }, { from, to: language });
  await em.flush();
  return language;
}
