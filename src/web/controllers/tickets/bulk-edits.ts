// POST /tickets/bulk-edits: the list's selected tickets — or every ticket its filters
// find — assigned, or given a status or a priority, in one transaction (bulk.ts). The
// list comes back: with htmx, swapped in place with what changed; without, after a
// redirect to the same list with a flash. A refusal re-renders the list with the
// selection kept (422); an id that is not this workspace's ticket is a 404.
import { first, parseId } from '../../params.js';
import { BULK_LIMIT, bulkChange } from '../../../domain/ticket/bulk.js';
import { technicianFor } from '../../../domain/ticket/changes.js';
import { ticketIdsMatching } from '../../../domain/ticket/queries.js';
import type { Formatter } from '../../../lib/format.js';
import { technician } from '../../action.js';
import { isFragmentRequest } from '../../reply.js';
import { listPath, parseFilters } from '../../ticket-filters.js';
import { renderList } from '../tickets.js';

const chosen = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

export const create = technician(async (ctx) => {
  const { sql, me, req, res, reply, body, form, t, tenant } = ctx;
  // The list the edit was made from, as its query string: where the answer goes back to.
  const filters = parseFilters(Object.fromEntries(new URLSearchParams(typeof body.list === 'string' ? body.list : '')));
  const picked = (Array.isArray(body.ticket) ? body.ticket : [body.ticket]).filter((v) => v !== undefined).map((v) => parseId(v) ?? 0);
  const ids = first(body.scope) === 'all'
    ? await ticketIdsMatching(sql, { ...filters, page: 1 }, me, req.tenant!.language, BULK_LIMIT)
    : picked;
  const values = { assignee: chosen(body.assignee), status: chosen(body.status), priority: chosen(body.priority) };
  await form(async (em) => {
    const assignee = values.assignee === undefined ? undefined : values.assignee === 'none' ? null : await technicianFor(em, values.assignee);
    const changed = await bulkChange(em, tenant, ids, { assignee, status: values.status, priority: values.priority });
    const notice = t('tickets.bulk.done', { count: changed, n: (res.locals.fmt as Formatter).number(changed) });
    if (isFragmentRequest(req)) return renderList(ctx, filters, { notice });
    reply.flash(notice);
    reply.redirect(listPath(filters));
  }, (bulkErrors) => renderList(ctx, filters, { bulkErrors, bulkValues: values, selected: picked }, 422));
});
