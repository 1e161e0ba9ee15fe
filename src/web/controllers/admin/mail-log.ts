// Every outgoing email with its status. The stored copy is shown with credentials
// masked; a captured message (no SMTP configured) opens as a masked .eml.
import { masked } from '../../../outbound/credentials.js';
import { maskedCopy } from '../../../outbound/deliver.js';
import { OutboundEmail } from '../../../outbound/outbound-email.js';
import { NotFoundError } from '../../../lib/validation.js';
import { PAGE_SIZE } from '../../../lib/parse.js';
import { admin, idParam } from '../../action.js';
import { pagerFor } from '../../listing.js';
import { pageParam } from '../../params.js';

export const index = admin(async ({ em, reply, req }) => {
  const page = pageParam(req);
  const status = ['queued', 'sent', 'failed', 'captured'].includes(String(req.query.status)) ? String(req.query.status) : undefined;
  const [emails, total] = await em.findAndCount(OutboundEmail, status ? { status: status as OutboundEmail['status'] } : {}, {
    orderBy: { id: 'desc' }, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE,
    fields: ['id', 'toAddress', 'toName', 'subject', 'kind', 'status', 'attempts', 'lastError', 'createdAt', 'sentAt', 'nextAttemptAt'],
  });
  await reply.render('admin/mail-log/index', { title: 'Mail Log', emails, total, status, pager: pagerFor('/admin/mail-log', { status }, page, total) });
});

export const show = admin(async ({ em, reply, req }) => {
  const email = await em.findOneOrFail(OutboundEmail, { id: idParam(req) });
  await reply.render('admin/mail-log/show', { title: email.subject, email, text: masked(email.textBody), captured: email.status === 'captured' });
});

/**
 * A captured message (no SMTP server), as delivered but with its credentials
 * masked: rebuilt from the stored email, never read from the captured file, which
 * holds the minted password or link.
 */
export const raw = admin(async ({ em, req, res, tenant }) => {
  const email = await em.findOne(OutboundEmail, { id: idParam(req) });
  if (!email || email.status !== 'captured') throw new NotFoundError();
  const eml = await maskedCopy(tenant, email);
  res.set({ 'Content-Type': 'message/rfc822', 'Content-Disposition': `attachment; filename="message-${email.id}.eml"`, 'X-Content-Type-Options': 'nosniff' });
  res.send(eml);
});
