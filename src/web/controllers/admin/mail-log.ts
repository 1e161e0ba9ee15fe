// Every outgoing email with its status. The stored copy is shown with credentials
// masked; a captured message (no SMTP configured) opens as a masked .eml.
import { masked } from '../../../outbound/credentials.js';
import { maskedCopy } from '../../../outbound/deliver.js';
import { listMailLog } from '../../../outbound/lists.js';
import { OutboundEmail, type EmailStatus } from '../../../outbound/outbound-email.js';
import { NotFoundError } from '../../../lib/validation.js';
import { admin, idParam } from '../../action.js';
import { pagerFor } from '../../listing.js';
import { pageParam } from '../../params.js';

/** Each status in words, as a catalogue key, in the order the filters list them. */
const STATUS_WORDS: Record<EmailStatus, string> = {
  queued: 'incomingMail.mailLog.statuses.queued',
  sent: 'incomingMail.mailLog.statuses.sent',
  captured: 'incomingMail.mailLog.statuses.captured',
  failed: 'incomingMail.mailLog.statuses.failed',
};
const STATUSES = Object.keys(STATUS_WORDS) as EmailStatus[];

/** What an email is for, by its `kind` (as the mailers name it); an unknown kind shows as stored. */
const KIND_WORDS: Record<string, string> = {
  contact_welcome: 'incomingMail.mailLog.kinds.contactWelcome',
  contact_password_reset: 'incomingMail.mailLog.kinds.contactPasswordReset',
  technician_invite: 'incomingMail.mailLog.kinds.technicianInvite',
  ticket_reply: 'incomingMail.mailLog.kinds.ticketReply',
  technician_sign_in_unlock: 'incomingMail.mailLog.kinds.technicianSignInUnlock',
  contact_sign_in_unlock: 'incomingMail.mailLog.kinds.contactSignInUnlock',
  technician_password_reset: 'auth.mail.reset.kind',
  technician_email_change: 'profile.mail.confirm.kind',
  technician_email_change_notice: 'profile.mail.notice.kind',
  rule_email: 'ruleEngine.mailKind',
  notification: 'notifications.mailKind',
};

export const index = admin(async ({ sql, reply, req, t }) => {
  const page = pageParam(req);
  const status = STATUSES.find((s) => s === req.query.status);
  const { emails, total } = await listMailLog(sql, { status, page });
  await reply.render('admin/mail-log/index', { title: t('incomingMail.mailLog.title'), emails, total, status, statuses: STATUSES, statusWords: STATUS_WORDS, pager: pagerFor('/admin/mail-log', { status }, page, total) });
});

export const show = admin(async ({ em, reply, req }) => {
  const email = await em.findOneOrFail(OutboundEmail, { id: idParam(req) });
  await reply.render('admin/mail-log/show', { title: email.subject, email, text: masked(email.textBody), captured: email.status === 'captured', statusWords: STATUS_WORDS, kindWords: KIND_WORDS });
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
