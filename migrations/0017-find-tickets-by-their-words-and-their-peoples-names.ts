import { Migration } from '@mikro-orm/migrations';

// Ticket search (src/domain/ticket/search.ts): full-text search over a ticket's title and
// description and its messages, trigram matching over its title and its requester's and
// customer's names — each on a GIN index led by tenant_id (btree_gin), so a search reads
// one workspace's matches, not every workspace's, at a million tickets.
// The extensions are created here, by the owner (pg_trgm, unaccent and btree_gin are trusted
// extensions: a database owner may create them); the runtime role only calls them.
// Each text's vector holds its Italian AND its English stems (a search asks in the
// workspace's language): a workspace that changes language needs no re-indexing, and an
// English mail in an Italian workspace is still found by its words.
// sportello_unaccent is unaccent fixed to its dictionary, so immutable and indexable:
// "perche" finds "perché". Vectors read at most the first 100,000 characters of a text,
// far below a tsvector's 1 MB limit, so no long email can fail to be stored.
const vector = (column: string, weight: string) =>
  `setweight(to_tsvector('pg_catalog.italian', sportello_unaccent(left(${column}, 100000))), '${weight}') || setweight(to_tsvector('pg_catalog.english', sportello_unaccent(left(${column}, 100000))), '${weight}')`;

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
  }

  async down(): Promise<void> {
    for (const index of ['tickets_search', 'ticket_messages_search', 'tickets_title_trgm', 'contacts_name_trgm', 'customers_name_trgm']) this.addSql(`drop index ${index}`);
    this.addSql('alter table tickets drop column search_vector');
    this.addSql('alter table ticket_messages drop column search_vector');
    this.addSql('drop function sportello_unaccent(text)');
  }
}
