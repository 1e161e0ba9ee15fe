// Ticket search: what the technician list's search box finds, as SQL for the list's one
// statement (queries.ts). A ticket is found by
// - its words: PostgreSQL full-text search over its title (weight A), description (B) and
//   messages (C), asked in the workspace's language (stemming: "stampanti" finds
//   "stampante" in an Italian workspace), ranked with ts_rank;
// - part of a word of its title ("stamp"), by trigram matching;
// - its requester's name or email, or its customer's name, whole, partial ("ross") or a
//   little misspelt ("Rosi"), by trigram matching.
// Each part reads one GIN index led by tenant_id (migration 0017), so a search costs the
// workspace's matches, not the table's size. A number (`1001`, `#1001`) is a jump to that
// ticket, not a search (the controller redirects).
import type { Sql } from '../../db/sql.js';
import type { Language } from '../../i18n/languages.js';
import { containsPattern } from '../../lib/search.js';

/** The full-text configuration each language searches in. */
export const TEXT_SEARCH_CONFIG: Record<Language, string> = { it: 'pg_catalog.italian', en: 'pg_catalog.english' };

/** The ticket number typed in the search box (`1001`, `#1001`), or undefined. */
export function ticketNumberIn(q: string | undefined): number | undefined {
  const match = /^#?\s*(\d{1,9})$/.exec(q?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Whether this workspace has a ticket with this number. */
export async function hasTicketNumber(sql: Sql, number: number): Promise<boolean> {
  return (await sql.one('select 1 from tickets where tenant_id = $1 and number = $2', [sql.tenantId, number])) !== undefined;
}

export interface SearchSql { sql: string; params: unknown[] }

/**
 * The CTE `hits (id, rank)`: the ids of this workspace's tickets that `q` finds, each with
 * its best rank (a match by words ranks above a match by name). `$?` stands for the next
 * parameter, in order.
 */
export function searchHits(tenantId: number, q: string, language: Language): SearchSql {
  const params: unknown[] = [];
  const v = (value: unknown) => {
    params.push(value);
    return '$?';
  };
  const query = () => `websearch_to_tsquery(${v(TEXT_SEARCH_CONFIG[language])}::regconfig, sportello_unaccent(${v(q)}::text))`;
  const like = () => `sportello_unaccent(${v(containsPattern(q))}::text)`;
  const word = () => `sportello_unaccent(${v(q)}::text)`;
  const person = `sportello_unaccent(c.first_name || ' ' || c.last_name || ' ' || c.email)`;
  const sql = `hits as (select id, max(rank) as rank from (
      select t.id, 1 + ts_rank(t.search_vector, query) as rank
        from tickets t, ${query()} query where t.tenant_id = ${v(tenantId)} and t.search_vector @@ query
      union all select m.ticket_id, 1 + ts_rank(m.search_vector, query) / 2
        from ticket_messages m, ${query()} query where m.tenant_id = ${v(tenantId)} and m.search_vector @@ query
      union all select t.id, 0.5 + word_similarity(${word()}, sportello_unaccent(t.title)) / 2
        from tickets t where t.tenant_id = ${v(tenantId)} and sportello_unaccent(t.title) ilike ${like()} escape '\\'
      union all select t.id, 0.5 + word_similarity(${word()}, ${person}) / 2
        from contacts c join tickets t on t.tenant_id = c.tenant_id and t.contact_id = c.id
        where c.tenant_id = ${v(tenantId)} and (${person} ilike ${like()} escape '\\' or ${word()} <% ${person})
      union all select t.id, 0.4 + word_similarity(${word()}, sportello_unaccent(cu.name)) / 2
        from customers cu join tickets t on t.tenant_id = cu.tenant_id and t.customer_id = cu.id
        where cu.tenant_id = ${v(tenantId)} and (sportello_unaccent(cu.name) ilike ${like()} escape '\\' or ${word()} <% sportello_unaccent(cu.name))
    ) found group by id)`;
  return { sql, params };
}
