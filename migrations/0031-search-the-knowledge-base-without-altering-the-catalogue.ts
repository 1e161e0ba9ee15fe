import { Migration } from '@mikro-orm/migrations';
import { RUNTIME_ROLE } from './helpers.js';

// The knowledge base's search the way the ticket search does it (0017), instead of marking
// pg_catalog.ts_match_vq LEAKPROOF, a change to a system function for the whole database
// that only a superuser could make (0021 no longer does; here it is undone where it ran).
// Row-level security lets an index serve only leakproof conditions, and `tsvector @@ tsquery`
// is not: under RLS the GIN index would serve nothing and a search would read every article.
// So the match runs in sportello_kb_search, SECURITY DEFINER as the migration's user: when
// that user bypasses RLS (a superuser, as the embedded server's and most installations'
// owner is) the index serves the whole condition, and the function keeps to the transaction's
// workspace — the same app.tenant_id the policies read, none when it is unset — and answers
// only article ids and ranks; who may read each is decided by the caller, under RLS
// (domain/kb/reading.ts). Owned by a user that does not bypass RLS it is just as correct,
// only slower on a large knowledge base. The index is led by tenant_id (btree_gin, 0017):
// a search reads its workspace's matches, not every workspace's.
// `query` is a tsquery text (reading.ts queryText); each article is matched with its own
// language's configuration, and the union of both is what the index is scanned with.
export class SearchTheKnowledgeBaseWithoutAlteringTheCatalogue extends Migration {
  async up(): Promise<void> {
    this.addSql(`do $$ begin
      if (select rolsuper from pg_roles where rolname = current_user)
         and (select proleakproof from pg_proc where oid = 'pg_catalog.ts_match_vq(tsvector, tsquery)'::regprocedure) then
        alter function pg_catalog.ts_match_vq(tsvector, tsquery) not leakproof;
      end if;
    end $$`);
    this.addSql('drop index kb_articles_search');
    this.addSql('create index kb_articles_search on kb_articles using gin (tenant_id, search)');
    const tenant = "nullif(current_setting('app.tenant_id', true), '')::int";
    const own = "(case a.language when 'it' then to_tsquery('public.kb_italian', query) else to_tsquery('public.kb_english', query) end)";
    this.addSql(`create function sportello_kb_search(query text)
      returns table (id int, rank float4) language sql stable security definer
      set search_path = pg_catalog, public, pg_temp
    as $$
      select a.id, ts_rank(a.search, ${own}) from kb_articles a
       where a.tenant_id = ${tenant}
         and a.search @@ (to_tsquery('public.kb_italian', query) || to_tsquery('public.kb_english', query))
         and a.search @@ ${own}
    $$`);
    this.addSql('revoke all on function sportello_kb_search(text) from public');
    this.addSql(`grant execute on function sportello_kb_search(text) to ${RUNTIME_ROLE}`);
  }
}
