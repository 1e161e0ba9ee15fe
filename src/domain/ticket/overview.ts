// The dashboard's numbers: what is waiting, for whom. Each tile is a saved filter — the
// very filter object its link opens the list with — counted through the list's own
// conditions (filterConditions), all tiles in one statement, so a tile's number is the
// total of the list it opens. The workspace's active technicians are counted in the same
// statement: one round trip for every number the dashboard shows (bench/pages).
import type { Sql } from '../../db/sql.js';
import { filterConditions } from './queries.js';
import { viewFilters, type TicketFilters } from './views.js';

export const TILES = {
  open: viewFilters('all', { status: 'open' }),
  pending: viewFilters('all', { status: 'pending' }),
  unassigned: viewFilters('unassigned'),
  mine: viewFilters('mine'),
  critical: viewFilters('open', { priority: 'critical' }),
  resolvedThisWeek: viewFilters('recent', { status: 'resolved' }),
} satisfies Record<string, TicketFilters>;

export type TileName = keyof typeof TILES;
export type TicketOverview = Record<TileName, number> & { technicians: number };

export async function ticketOverview(sql: Sql, me: { id: number }): Promise<TicketOverview> {
  const names = Object.keys(TILES) as TileName[];
  const params: unknown[] = [sql.tenantId];
  const counts = names.map((name) => {
    const w = filterConditions(TILES[name], me);
    const condition = w.sql.length ? w.sql.join(' and ').replace(/\$\?/g, () => `$${params.push(w.params.shift()) }`) : 'true';
    return `count(*) filter (where ${condition})::int as "${name}"`;
  });
  const technicians = '(select count(*)::int from technicians tc where tc.tenant_id = $1 and tc.active) as technicians';
  const [row] = await sql.query<TicketOverview>(`select ${counts.join(', ')}, ${technicians} from tickets t where t.tenant_id = $1`, params);
  return row;
}
