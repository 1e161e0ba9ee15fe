// Admin > Incoming Mail: the ingest log, filtered and paged, with what an admin can
// do with a row — admit or dismiss a rejected message, retry a failed one — and the
// raw message of a rejected or failed row as a file. Admitting and retrying run the
// message after this request's commit, in their own unit of work (as the poller does).
import type { Request } from 'express';
import type { FilterQuery } from '@mikro-orm/core';
import { afterCommit } from '../../../db/unit-of-work.js';
import { InboundMessage, OUTCOMES, type Outcome } from '../../../domain/mailbox/inbound-message.js';
import { Mailbox } from '../../../domain/mailbox/mailbox.js';
import { Ticket } from '../../../domain/ticket/ticket.js';
import { NotFoundError } from '../../../lib/validation.js';
import { admitMessage, canAdmit, canRetry, dismissMessage, KEEPS_RAW, retryMessage } from '../../../inbound/review.js';
import { admin, idParam, type TechnicianCtx } from '../../action.js';

export const PAGE_SIZE = 50;

/** What the list says after an action (English for now; the catalogues take them over). */
const NOTICES = {
  handled: 'This message was handled meanwhile.',
  admittedWithContact: 'The contact and the ticket are created.',
  admitted: 'The ticket is created.',
  noSender: 'This message has no sender address a contact can have: download it to see who sent it.',
  dismissed: 'The message is dismissed.',
  failedAgain: 'The message failed again: see its error.',
  processed: 'The message is processed.',
};

interface Filters { outcome?: Outcome; mailbox?: number; sender?: string; page: number }

function filtersOf(req: Request): Filters {
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const outcome = String(one(req.query.outcome) ?? '');
  const mailbox = Number(one(req.query.mailbox));
  const sender = String(one(req.query.sender) ?? '').trim().toLowerCase().slice(0, 254);
  return {
    outcome: (OUTCOMES as readonly string[]).includes(outcome) ? outcome as Outcome : undefined,
    mailbox: Number.isSafeInteger(mailbox) && mailbox > 0 && mailbox < 2_147_483_647 ? mailbox : undefined,
    sender: sender || undefined,
    page: Math.max(1, Math.min(100_000, Number(one(req.query.page)) || 1)),
  };
}

function queryOf(f: Filters, page = f.page): string {
  const params = new URLSearchParams();
  if (f.outcome) params.set('outcome', f.outcome);
  if (f.mailbox) params.set('mailbox', String(f.mailbox));
  if (f.sender) params.set('sender', f.sender);
  if (page > 1) params.set('page', String(page));
  const q = params.toString();
  return q ? `?${q}` : '';
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const index = admin(async ({ em, reply, req }) => {
  const filters = filtersOf(req);
  const where: FilterQuery<InboundMessage> = {};
  if (filters.outcome) where.outcome = filters.outcome;
  if (filters.mailbox) where.mailboxId = filters.mailbox;
  if (filters.sender) where.fromAddress = { $ilike: `%${likeEscape(filters.sender)}%` };
  const [rows, total] = await em.findAndCount(InboundMessage, where, {
    orderBy: { createdAt: 'desc', id: 'desc' }, limit: PAGE_SIZE, offset: (filters.page - 1) * PAGE_SIZE,
    exclude: ['raw'],
  });
  const mailboxes = await em.find(Mailbox, {}, { orderBy: { address: 'asc' }, fields: ['id', 'address'] });
  const ticketIds = rows.map((r) => r.ticketId).filter((id): id is number => Boolean(id));
  const tickets = ticketIds.length ? await em.find(Ticket, { id: { $in: ticketIds } }, { fields: ['id', 'number'] }) : [];
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  await reply.render('admin/incoming-mail/index', {
    title: 'Incoming Mail', rows, total, filters, outcomes: OUTCOMES, mailboxes,
    mailboxAddress: Object.fromEntries(mailboxes.map((m) => [m.id, m.address])),
    ticketNumber: Object.fromEntries(tickets.map((t) => [t.id, t.number])),
    pager: { page: filters.page, pages, href: (p: number) => `/admin/incoming-mail${queryOf(filters, p)}` },
    canAdmit, canRetry, keepsRaw: (r: InboundMessage) => KEEPS_RAW.includes(r.outcome),
  });
});

async function load(ctx: TechnicianCtx): Promise<InboundMessage> {
  const row = await ctx.em.findOne(InboundMessage, { id: idParam(ctx.req) }, { exclude: ['raw'] });
  if (!row) throw new NotFoundError();
  return row;
}

const actor = (ctx: TechnicianCtx) => ({ kind: 'technician' as const, id: ctx.me.id, name: ctx.me.name });

/** Create contact and ticket. */
export const admit = admin(async (ctx) => {
  const row = await load(ctx);
  ctx.reply.redirect('/admin/incoming-mail');
  if (!canAdmit(row)) return ctx.reply.flash(NOTICES.handled);
  const { tenantId } = ctx.sql;
  const who = actor(ctx);
  afterCommit(async () => {
    const result = await admitMessage(tenantId, row.id, who);
    if (result.admitted) ctx.reply.flash(result.contactCreated ? NOTICES.admittedWithContact : NOTICES.admitted);
    else if (result.why === 'handled') ctx.reply.flash(NOTICES.handled);
    else ctx.reply.flash(NOTICES.noSender);
  });
});

export const dismiss = admin(async (ctx) => {
  const row = await load(ctx);
  ctx.reply.flash(dismissMessage(ctx.em, ctx.tenant, row) ? NOTICES.dismissed : NOTICES.handled);
  ctx.reply.redirect('/admin/incoming-mail');
});

export const retry = admin(async (ctx) => {
  const row = await load(ctx);
  ctx.reply.redirect('/admin/incoming-mail');
  if (!canRetry(row)) return ctx.reply.flash(NOTICES.handled);
  const { tenantId } = ctx.sql;
  const who = actor(ctx);
  afterCommit(async () => {
    const result = await retryMessage(tenantId, row.id, who);
    ctx.reply.flash(!result ? NOTICES.handled : result.outcome === 'failed' ? NOTICES.failedAgain : NOTICES.processed);
  });
});

/** The message as received, as a file never shown inline. */
export const raw = admin(async (ctx) => {
  const row = await ctx.em.findOne(InboundMessage, { id: idParam(ctx.req) }, { populate: ['raw'] });
  if (!row || !KEEPS_RAW.includes(row.outcome) || !row.raw) throw new NotFoundError();
  ctx.res.set({ 'Content-Type': 'message/rfc822', 'Content-Disposition': `attachment; filename="incoming-${row.id}.eml"`, 'X-Content-Type-Options': 'nosniff' });
  ctx.res.send(row.raw);
});
