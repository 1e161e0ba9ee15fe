// Admin > Incoming Mail: the ingest log, filtered and paged, with what an admin can
// do with a row — admit or dismiss a rejected message, retry a failed one — and the
// raw message of a rejected or failed row as a file. Admitting and retrying run the
// message after this request's commit, in their own unit of work (as the poller does).
import type { Request } from 'express';
import { pagerFor } from '../../listing.js';
import { first, pageParam, parseId, parseText } from '../../params.js';
import { afterCommit } from '../../../db/unit-of-work.js';
import { InboundMessage, OUTCOME_WORDS, OUTCOMES, REASON_WORDS, type Outcome } from '../../../domain/mailbox/inbound-message.js';
import { listInboundMessages, mailboxChoices, type InboundFilters, type InboundRow } from '../../../domain/mailbox/lists.js';
import { NotFoundError } from '../../../lib/validation.js';
import { admitMessage, canAdmit, canRetry, dismissMessage, KEEPS_RAW, retryMessage } from '../../../inbound/review.js';
import { admin, idParam, type TechnicianCtx } from '../../action.js';


/** What the list says after an action. */
const NOTICES = {
  handled: 'incomingMail.notices.handled',
  admittedWithContact: 'incomingMail.notices.admittedWithContact',
  admitted: 'incomingMail.notices.admitted',
  noSender: 'incomingMail.notices.noSender',
  dismissed: 'incomingMail.notices.dismissed',
  failedAgain: 'incomingMail.notices.failedAgain',
  processed: 'incomingMail.notices.processed',
} as const;

function filtersOf(req: Request): InboundFilters {
  const outcome = String(first(req.query.outcome) ?? '');
  return {
    outcome: (OUTCOMES as readonly string[]).includes(outcome) ? outcome as Outcome : undefined,
    mailbox: parseId(req.query.mailbox),
    sender: parseText(req.query.sender, 254)?.toLowerCase(),
    page: pageParam(req),
  };
}

function queryOf(f: InboundFilters, page = f.page): string {
  const params = new URLSearchParams();
  if (f.outcome) params.set('outcome', f.outcome);
  if (f.mailbox) params.set('mailbox', String(f.mailbox));
  if (f.sender) params.set('sender', f.sender);
  if (page > 1) params.set('page', String(page));
  const q = params.toString();
  return q ? `?${q}` : '';
}


export const index = admin(async ({ sql, reply, req, t }) => {
  const filters = filtersOf(req);
  const { rows, total } = await listInboundMessages(sql, filters);
  const mailboxes = await mailboxChoices(sql);
  await reply.render('admin/incoming-mail/index', {
    title: t('incomingMail.index.title'), rows, total, filters, outcomes: OUTCOMES, outcomeWords: OUTCOME_WORDS, reasonWords: REASON_WORDS, mailboxes,
    pager: { ...pagerFor('/admin/incoming-mail', {}, filters.page, total), href: (p: number) => `/admin/incoming-mail${queryOf(filters, p)}` },
    canAdmit, canRetry, keepsRaw: (r: InboundRow) => KEEPS_RAW.includes(r.outcome),
  });
});

async function load(ctx: TechnicianCtx): Promise<InboundMessage> {
  return ctx.em.findOneOrFail(InboundMessage, { id: idParam(ctx.req) }, { exclude: ['raw'] });
}

const actor = (ctx: TechnicianCtx) => ({ kind: 'technician' as const, id: ctx.me.id, name: ctx.me.name });

/** Create contact and ticket. */
export const admit = admin(async (ctx) => {
  const row = await load(ctx);
  ctx.reply.redirect('/admin/incoming-mail');
  if (!canAdmit(row)) return ctx.reply.flash(ctx.t(NOTICES.handled));
  const { tenantId } = ctx.sql;
  const who = actor(ctx);
  afterCommit(async () => {
    const result = await admitMessage(tenantId, row.id, who);
    if (result.admitted) ctx.reply.flash(ctx.t(result.contactCreated ? NOTICES.admittedWithContact : NOTICES.admitted));
    else if (result.why === 'handled') ctx.reply.flash(ctx.t(NOTICES.handled));
    else ctx.reply.flash(ctx.t(NOTICES.noSender));
  });
});

export const dismiss = admin(async (ctx) => {
  const row = await load(ctx);
  ctx.reply.flash(ctx.t(dismissMessage(ctx.em, ctx.tenant, row) ? NOTICES.dismissed : NOTICES.handled));
  ctx.reply.redirect('/admin/incoming-mail');
});

export const retry = admin(async (ctx) => {
  const row = await load(ctx);
  ctx.reply.redirect('/admin/incoming-mail');
  if (!canRetry(row)) return ctx.reply.flash(ctx.t(NOTICES.handled));
  const { tenantId } = ctx.sql;
  const who = actor(ctx);
  afterCommit(async () => {
    const result = await retryMessage(tenantId, row.id, who);
    ctx.reply.flash(ctx.t(!result ? NOTICES.handled : result.outcome === 'failed' ? NOTICES.failedAgain : NOTICES.processed));
  });
});

/** The message as received, as a file never shown inline. */
export const raw = admin(async (ctx) => {
  const row = await ctx.em.findOne(InboundMessage, { id: idParam(ctx.req) }, { populate: ['raw'] });
  if (!row || !KEEPS_RAW.includes(row.outcome) || !row.raw) throw new NotFoundError();
  ctx.res.set({ 'Content-Type': 'message/rfc822', 'Content-Disposition': `attachment; filename="incoming-${row.id}.eml"`, 'X-Content-Type-Options': 'nosniff' });
  ctx.res.send(row.raw);
});
