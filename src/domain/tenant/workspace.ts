// Admin > Workspace: the workspace's name, language and time zone. A language code
// Sportello does not speak (a forged form) is the default language, never an error; a
// time zone Intl does not know is refused beside its field. Changing the language
// changes what the screens and emails speak from the next page on; what the workspace
// already wrote (templates, quick replies, its default customer's name) keeps its words.
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import { languageOr } from '../../i18n/languages.js';
import { knownTimeZone } from '../../lib/format.js';
import { Checker, text } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { Tenant } from './tenant.js';

export interface WorkspaceInput { name?: unknown; language?: unknown; timeZone?: unknown }

export async function updateWorkspace(em: Em, tenant: Tenant, input: WorkspaceInput): Promise<void> {
  const name = text(input.name);
  const language = languageOr(input.language);
  const timeZone = knownTimeZone(input.timeZone);
  const check = new Checker().require('name', name, 'admin.workspace.name');
  if (!timeZone) check.add('timeZone', 'admin.workspace.unknownTimeZone');
  check.throwIfAny();

  // Two admins saving at once take turns; each compares with what the other left.
  await lockForChange(em, Tenant, { id: tenant.id });
  await em.refresh(tenant);
  const wanted = { name, language, timeZone: timeZone! };
  const changes: Record<string, { from: string; to: string }> = {};
  for (const field of ['name', 'language', 'timeZone'] as const) {
    if (tenant[field] !== wanted[field]) changes[field] = { from: tenant[field], to: wanted[field] };
  }
  if (Object.keys(changes).length === 0) return;
  Object.assign(tenant, wanted);
  audit(em, tenant, 'tenant.workspace_changed', { type: 'tenant', id: tenant.id }, changes);
  await em.flush();
}
