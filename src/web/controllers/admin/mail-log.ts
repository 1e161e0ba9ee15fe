// Every outgoing email with its status. The stored copy is shown with credentials
// masked; a captured message (no SMTP configured) opens from .data/outbox/.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { config } from '../../../config.js';
import { masked } from '../../../outbound/credentials.js';
import { OutboundEmail } from '../../../outbound/outbound-email.js';
import { NotFoundError } from '../../../lib/validation.js';
import { admin, idParam } from '../../action.js';

const PAGE = 50;

export const index = admin(async ({ em, reply, req }) => {
  const page = Math.max(1, Math.min(10_000, Number(req.query.page) || 1));
  const status = ['queued', 'sent', 'failed', 'captured'].includes(String(req.query.status)) ? String(req.query.status) : undefined;
  const [emails, total] = await em.findAndCount(OutboundEmail, status ? { status: status as OutboundEmail['status'] } : {}, {
    orderBy: { id: 'desc' }, limit: PAGE, offset: (page - 1) * PAGE,
    fields: ['id', 'toAddress', 'toName', 'subject', 'kind', 'status', 'attempts', 'lastError', 'createdAt', 'sentAt', 'nextAttemptAt'],
  });
  await reply.render('admin/mail-log/index', { title: 'Mail Log', emails, total, page, pages: Math.max(1, Math.ceil(total / PAGE)), status });
});

export const show = admin(async ({ em, reply, req }) => {
  const email = await em.findOne(OutboundEmail, { id: idParam(req) });
  if (!email) throw new NotFoundError();
  await reply.render('admin/mail-log/show', { title: email.subject, email, text: masked(email.textBody), captured: Boolean(email.capturedPath) });
});

/** The captured message as the developer's mailbox has it (development only: no SMTP_URL). */
export const raw = admin(async ({ em, req, res }) => {
  const email = await em.findOne(OutboundEmail, { id: idParam(req) });
  const outbox = path.resolve(config().outboxDir);
  if (!email?.capturedPath || !path.resolve(email.capturedPath).startsWith(outbox + path.sep)) throw new NotFoundError();
  const eml = await readFile(email.capturedPath).catch(() => undefined);
  if (!eml) throw new NotFoundError();
  res.set({ 'Content-Type': 'message/rfc822', 'Content-Disposition': `attachment; filename="message-${email.id}.eml"`, 'X-Content-Type-Options': 'nosniff' });
  res.send(eml);
});
