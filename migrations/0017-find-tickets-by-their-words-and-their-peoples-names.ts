import { Migration } from '@mikro-orm/migrations';
import { RUNTIME_ROLE } from './helpers.js';

// Ticket search (src/domain/ticket/search.ts): full-text search over a ticket's title and
// description and its messages, trigram matching over its title and its requester's and
// customer's names — each on a GIN index led by tenant_id (btree_gin), so a search reads
// one workspace's matches, not every workspace's, at a million tickets.
// The extensions are created here, by the owner (pg_trgm, unaccent and btree_gin are trusted
// extensions: a database owner may create them); the runtime role only calls them.
// Each text's vector holds its Italian AND its English stems (a search asks in the
// workspace's language): a workspace that changes language needs no re-indexing, and an
// English mail in an Italian workspace is still found by its words.
// Row-level security lets an index serve only leakproof conditions, and neither a text
// search's @@ nor a trigram's ILIKE or <% is: under RLS these indexes would serve tenant_id
// alone, and a search would read every ticket of its workspace. So the lookups run in
// sportello_ticket_search, SECURITY DEFINER as the migration's user: when that user bypasses
// RLS (a superuser, as the embedded server's and most installations' owner is) the indexes
// serve the whole condition, and the function itself keeps to the transaction's tenant — the
// same app.tenant_id the policies read, none when it is unset — and answers only ticket ids
// and ranks, which the list then reads under RLS. Owned by a user that does not bypass RLS,
// it is just as correct (RLS applies inside), only slower on a large workspace.
// sportello_unaccent is unaccent fixed to its dictionary, so immutable and indexable:
// "perche" finds "perché". Vectors read at most the first 100,000 characters of a text,
// far below a tsvector's 1 MB limit, so no long email can fail to be stored.
const vector = (column: string, weight: string) =>
  `setweight(to_tsvector('pg_catalog.italian', sportello_unaccent(left(${column}, 100000))), '${weight}') || setweight(to_tsvector('pg_catalog.english', sportello_unaccent(left(${column}, 100000))), '${weight}')`;

// What finds a ticket, and how it ranks: its words (title and description over its
// messages), part of a word of its title, then its requester's and its customer's names —
// a little misspelt too when the search is one word and no address ("Bianchy"; with more
// words, a common one such as "contact" would find every contact, as an address's domain would).
const tenant = "nullif(current_setting('app.tenant_id', true), '')::int";
const person = "sportello_unaccent(c.first_name || ' ' || c.last_name || ' ' || c.email)";
/** The search as this migration first wrote it (0045 rewrites it in PL/pgSQL; its down restores this). */
export const TICKET_SEARCH_IN_SQL = `create function sportello_ticket_search(q text, config regconfig, pattern text)
  returns table (id int, rank float4) language sql stable security definer
  set search_path = pg_catalog, public, pg_temp
as $$
  select id, max(rank)::float4 from (
    select t.id, 1 + ts_rank(t.search_vector, websearch_to_tsquery(config, sportello_unaccent(q))) as rank
      from tickets t where t.tenant_id = ${tenant} and t.search_vector @@ websearch_to_tsquery(config, sportello_unaccent(q))
    union all select m.ticket_id, 1 + ts_rank(m.search_vector, websearch_to_tsquery(config, sportello_unaccent(q))) / 2
      from ticket_messages m where m.tenant_id = ${tenant} and m.search_vector @@ websearch_to_tsquery(config, sportello_unaccent(q))
    union all select t.id, 0.5 + word_similarity(sportello_unaccent(q), sportello_unaccent(t.title)) / 2
      from tickets t where t.tenant_id = ${tenant} and sportello_unaccent(t.title) ilike sportello_unaccent(pattern)
    union all select t.id, 0.5 + word_similarity(sportello_unaccent(q), ${person}) / 2
      from contacts c join tickets t on t.tenant_id = c.tenant_id and t.contact_id = c.id
      where c.tenant_id = ${tenant} and (${person} ilike sportello_unaccent(pattern)
        or (q !~ '[[:space:]@]' and sportello_unaccent(q) <% ${person}))
    union all select t.id, 0.4 + word_similarity(sportello_unaccent(q), sportello_unaccent(cu.name)) / 2
      from customers cu join tickets t on t.tenant_id = cu.tenant_id and t.customer_id = cu.id
      where cu.tenant_id = ${tenant} and (sportello_unaccent(cu.name) ilike sportello_unaccent(pattern)
        or (q !~ '[[:space:]@]' and sportello_unaccent(q) <% sportello_unaccent(cu.name)))
  ) found group by id
$$`;

export class FindTicketsByTheirWordsAndTheirPeoplesNames extends Migration {
  async up(): Promise<void> {
    this.addSql('create extension if not exists pg_trgm with schema public');
    this.addSql('create extension if not exists unaccent with schema public');
    this.addSql('create extension if not exists btree_gin with schema public');
    this.addSql(`create function sportello_unaccent(text) returns text language sql immutable parallel safe strict
      as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`);
    this.addSql(`alter table tickets add column search_vector tsvector generated always as (${vector('title', 'A')} || ${vector('description', 'B')}) stored`);
    this.addSql(`alter table ticket_messages add column search_vector tsvector generated always as (${vector('body', 'C')}) stored`);
    this.addSql('create index tickets_search on tickets using gin (tenant_id, search_vector)');
    this.addSql('create index ticket_messages_search on ticket_messages using gin (tenant_id, search_vector)');
    this.addSql('create index tickets_title_trgm on tickets using gin (tenant_id, sportello_unaccent(title) gin_trgm_ops)');
    this.addSql(`create index contacts_name_trgm on contacts using gin (tenant_id, sportello_unaccent(first_name || ' ' || last_name || ' ' || email) gin_trgm_ops)`);
    this.addSql('create index customers_name_trgm on customers using gin (tenant_id, sportello_unaccent(name) gin_trgm_ops)');
    this.addSql(TICKET_SEARCH_IN_SQL);
    this.addSql('revoke all on function sportello_ticket_search(text, regconfig, text) from public');
    this.addSql(`grant execute on function sportello_ticket_search(text, regconfig, text) to ${RUNTIME_ROLE}`);
  }

  async down(): Promise<void> {
    this.addSql('drop function sportello_ticket_search(text, regconfig, text)');
    for (const index of ['tickets_search', 'ticket_messages_search', 'tickets_title_trgm', 'contacts_name_trgm', 'customers_name_trgm']) this.addSql(`drop index ${index}`);
    this.addSql('alter table tickets drop column search_vector');
    this.addSql('alter table ticket_messages drop column search_vector');
    this.addSql('drop function sportello_unaccent(text)');
  }
}
