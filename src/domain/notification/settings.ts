// A workspace's notification settings (Admin > Notifications) and each technician's own
// choices (/profile/notifications). A workspace gets its rows, and the templates they send
// (in its language), the first time they are read: new workspaces at setup, older ones on
// the first event or visit — concurrent first reads insert nothing twice (`on conflict`).
// Every notification starts on (DESIGN.md §9: the product sends them, each can be switched
// off): a row made later is on too, as migration 0032 left the workspaces whose admin had
// not saved Admin > Notifications yet.
import type { Em } from '../../db/orm.js';
import { Checker } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { EmailTemplate } from '../email/email-template.js';
import { usesCredentials } from '../email/snippets.js';
import type { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import { KINDS, NOTIFICATION_KINDS, TECHNICIAN_KINDS, specOf, type NotificationKind, type RecipientChoice } from './kinds.js';
import { shippedText } from './shipped.js';

export interface NotificationSetting {
  kind: NotificationKind;
  enabled: boolean;
  templateId: number | null;
  recipients: RecipientChoice;
}

interface Row { kind: NotificationKind; enabled: boolean; template_id: number | null; recipients: string }

const read = async (em: Em): Promise<Row[]> => em.execute<Row[]>('select kind, enabled, template_id, recipients from notification_settings');

function asSetting(row: Row): NotificationSetting {
  const spec = specOf(row.kind);
  const recipients = (spec.recipients as readonly string[]).includes(row.recipients) ? row.recipients as RecipientChoice : spec.recipients[0];
  return { kind: row.kind, enabled: row.enabled, templateId: row.template_id, recipients };
}

/** The template a workspace starts with for `kind`: the one of that name, else made now (shipped.ts: marked, in its language). */
async function defaultTemplateId(em: Em, tenant: Pick<Tenant, 'id' | 'language' | 'edition'>, kind: NotificationKind): Promise<number | null> {
  const { name, subject, body } = shippedText(kind, tenant);
  await em.execute(
    `insert into email_templates (tenant_id, name, subject, body, shipped, created_at, updated_at) values (?, ?, ?, ?, ?, now(), now()) on conflict do nothing`,
    [tenant.id, name, subject, body, kind]);
  const [found] = await em.execute<Array<{ id: number }>>('select id from email_templates where tenant_id = ? and lower(name) = lower(?)', [tenant.id, name]);
  return found?.id ?? null;
}

/**
 * Every notification's setting, in KINDS order: missing rows made now (on), and a row without a template (migration 0032 leaves *Technician replied*
 * so) given its shipped one.
 */
export async function notificationSettings(em: Em, tenant: Pick<Tenant, 'id' | 'language' | 'edition'>): Promise<NotificationSetting[]> {
  let rows = await read(em);
  if (rows.length < NOTIFICATION_KINDS.length || rows.some((r) => r.template_id === null)) {
    for (const { kind, recipients } of KINDS) {
      const row = rows.find((r) => r.kind === kind);
      if (row?.template_id !== null && row !== undefined) continue;
      const templateId = await defaultTemplateId(em, tenant, kind);
      if (row) await em.execute('update notification_settings set template_id = ? where tenant_id = ? and kind = ? and template_id is null', [templateId, tenant.id, kind]);
      else await em.execute('insert into notification_settings (tenant_id, kind, enabled, template_id, recipients) values (?, ?, ?, ?, ?) on conflict do nothing',
        [tenant.id, kind, true, templateId, recipients[0]]);
    }
    rows = await read(em);
  }
  return KINDS.map(({ kind }) => asSetting(rows.find((r) => r.kind === kind)!));
}

/** New workspaces get their settings (and templates) with the rest of their defaults (tenant/setup.ts). */
export async function createDefaultNotifications(em: Em, tenant: Tenant): Promise<void> {
  await em.flush();
  await notificationSettings(em, tenant);
}

const checked = (value: unknown) => value === 'on' || value === 'true' || value === '1' || value === true;

/**
 * Admin > Notifications: for each notification `enabled_<kind>` (a checkbox),
 * `template_<kind>` (a template id of the workspace) and `recipients_<kind>` (one of its choices).
 * A template holding a credential snippet is refused for every notification: sent on each
 * event, it would reset the requester's portal password with nobody choosing to (a
 * credentials send is a technician's deliberate, confirmed reply). Email Templates refuses
 * the same edit to a template a notification sends (email/templates.ts).
 */
export async function updateNotificationSettings(em: Em, tenant: Tenant, input: Record<string, unknown>): Promise<void> {
  const current = await notificationSettings(em, tenant);
  const templates = new Map((await em.find(EmailTemplate, {}, { fields: ['id', 'name', 'subject', 'body'] })).map((t) => [t.id, t]));
  const check = new Checker();
  const next = current.map((setting) => {
    const { kind } = setting;
    const templateId = Number(input[`template_${kind}`]);
    const template = templates.get(templateId);
    if (!Number.isInteger(templateId) || !template) check.add(`template_${kind}`, 'notifications.errors.template');
    else if (usesCredentials(`${template.subject}\n${template.body}`, tenant.edition)) {
      check.add(`template_${kind}`, { key: 'notifications.errors.credentials', params: { name: template.name } });
    }
    const recipients = input[`recipients_${kind}`] ?? setting.recipients;
    if (!(specOf(kind).recipients as readonly unknown[]).includes(recipients)) check.add(`recipients_${kind}`, 'notifications.errors.recipients');
    return { kind, enabled: checked(input[`enabled_${kind}`]), templateId, recipients: recipients as RecipientChoice };
  });
  check.throwIfAny();
  for (const s of next) {
    await em.execute('update notification_settings set enabled = ?, template_id = ?, recipients = ?, updated_at = now() where tenant_id = ? and kind = ?',
      [s.enabled, s.templateId, s.recipients, tenant.id, s.kind]);
  }
  audit(em, tenant, 'notification_settings.updated', undefined, { enabled: next.filter((s) => s.enabled).map((s) => s.kind) });
  await em.flush();
}

/** The technician notifications `technicianId` turned off. */
export async function optedOut(em: Em, technicianId: number): Promise<Set<NotificationKind>> {
  const rows = await em.execute<Array<{ kind: NotificationKind }>>('select kind from technician_notification_choices where technician_id = ?', [technicianId]);
  return new Set(rows.map((r) => r.kind));
}

/** /profile/notifications: `receive_<kind>` checked for each technician notification they want. */
export async function chooseNotifications(em: Em, tenant: Tenant, technician: Technician, input: Record<string, unknown>): Promise<void> {
  const off = TECHNICIAN_KINDS.filter((kind) => !checked(input[`receive_${kind}`]));
  await em.execute('delete from technician_notification_choices where technician_id = ?', [technician.id]);
  for (const kind of off) {
    await em.execute('insert into technician_notification_choices (tenant_id, technician_id, kind) values (?, ?, ?) on conflict do nothing', [tenant.id, technician.id, kind]);
  }
  audit(em, tenant, 'technician.notifications_chosen', { type: 'technician', id: technician.id }, { off });
  await em.flush();
}
