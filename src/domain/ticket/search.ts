// Ticket search: what the technician list's search box finds, as SQL for the list's one
// statement (queries.ts). A ticket is found by
// - its words: PostgreSQL full-text search over its title (weight A), description (B) and
//   messages (C), asked in the workspace's language (stemming: "stampanti" finds
//   "stampante" in an Italian workspace), ranked with ts_rank;
// - part of a word of its title ("stamp"), by trigram matching;
// - its requester's name or email, or its customer's name, whole, partial ("ross") or a
//   little misspelt ("Rosi", when the search is one word), by trigram matching.
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
 * its best rank (a match by words ranks above a match by name), from sportello_ticket_search
 * (migrations 0017 and 0045: the lookups, and why they run there). `$?` stands for the next parameter, in order.
 */
export function searchHits(q: string, language: Language): SearchSql {
  return {
    sql: 'hits as (select id, rank from sportello_ticket_search($?::text, $?::regconfig, $?::text))',
    params: [q, TEXT_SEARCH_CONFIG[language], containsPattern(q)],
  };
}
