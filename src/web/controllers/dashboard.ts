import { TILES, ticketOverview, type TileName } from '../../domain/ticket/overview.js';
import { listActiveTicketsOf } from '../../domain/ticket/queries.js';
import type { Sql } from '../../db/sql.js';
import { technician } from '../action.js';
import { listPath } from '../ticket-filters.js';

/** Each tile's words, as catalogue keys. */
const TILE_WORDS: Record<TileName, string> = {
  open: 'dashboard.show.stats.open', pending: 'dashboard.show.stats.pending', unassigned: 'dashboard.show.stats.unassigned',
  mine: 'dashboard.show.stats.mine', critical: 'dashboard.show.stats.critical', resolvedThisWeek: 'dashboard.show.stats.resolvedThisWeek',
};

// No ORM on this page: its numbers are one statement (ticketOverview), its tickets another, sent together
// with the guard's (one socket write: db/sql.ts, technician.page).
const reads = (sql: Sql, me: { id: number }) => Promise.all([ticketOverview(sql, me), listActiveTicketsOf(sql, me)]);

export const show = technician.page(({ sql, user }) => reads(sql, user), async ({ sql, reply, me, t }, read) => {
  const [overview, mine] = read ?? await reads(sql, me);
  // A tile opens the list its number counts: the same saved filter.
  const tiles = (Object.keys(TILES) as TileName[]).map((name) => ({ name, count: overview[name], href: listPath(TILES[name]), words: TILE_WORDS[name] }));
  await reply.render('dashboard/show', {
    title: t('dashboard.show.title'), technicians: overview.technicians, tiles, mine: mine.tickets.slice(0, 10),
    mineHref: listPath(TILES.mine), unassignedHref: listPath(TILES.unassigned),
  });
});
