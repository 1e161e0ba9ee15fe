import { TILES, ticketOverview, type TileName } from '../../domain/ticket/overview.js';
import { listActiveTicketsOf } from '../../domain/ticket/queries.js';
import { technician } from '../action.js';
import { listPath } from '../ticket-filters.js';

/** Each tile's words, as catalogue keys. */
const TILE_WORDS: Record<TileName, string> = {
  open: 'dashboard.show.stats.open', pending: 'dashboard.show.stats.pending', unassigned: 'dashboard.show.stats.unassigned',
  mine: 'dashboard.show.stats.mine', critical: 'dashboard.show.stats.critical', resolvedThisWeek: 'dashboard.show.stats.resolvedThisWeek',
};

// No ORM on this page: its numbers are one statement (ticketOverview), its tickets another, sent together (one socket write: db/sql.ts).
export const show = technician(async ({ sql, reply, me, t }) => {
  const [overview, mine] = await sql.last(Promise.all([ticketOverview(sql, me), listActiveTicketsOf(sql, me)]));
  // A tile opens the list its number counts: the same saved filter.
  const tiles = (Object.keys(TILES) as TileName[]).map((name) => ({ name, count: overview[name], href: listPath(TILES[name]), words: TILE_WORDS[name] }));
  await reply.render('dashboard/show', {
    title: t('dashboard.show.title'), technicians: overview.technicians, tiles, mine: mine.tickets.slice(0, 10),
    mineHref: listPath(TILES.mine), unassignedHref: listPath(TILES.unassigned),
  });
});
