// Where a template is used by a notification (Email Templates refuses to delete it, naming where).
import type { Em } from '../../db/orm.js';
import type { Message } from '../../lib/validation.js';
import type { EmailTemplate } from '../email/email-template.js';
import { KINDS } from './kinds.js';

export async function templateUsesInNotifications(em: Em, template: Pick<EmailTemplate, 'id'>): Promise<Message[]> {
  const rows = await em.execute<Array<{ kind: string }>>('select kind from notification_settings where template_id = ? order by id', [template.id]);
  return rows.flatMap((r): Message[] => KINDS.filter((k) => k.kind === r.kind).map((k) => k.words.use));
}
