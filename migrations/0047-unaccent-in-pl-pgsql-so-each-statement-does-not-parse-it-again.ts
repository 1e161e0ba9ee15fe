import { Migration } from '@mikro-orm/migrations';

// sportello_unaccent (0017) as PL/pgSQL: the same function (unaccent fixed to its
// dictionary), the same results, so every index on it and every vector it made stays valid.
// As SQL it could not be inlined (it is declared immutable over the stable unaccent), so
// each statement that called it — a ticket's update (its title's trigram index is on it),
// a message's insert (its search vector calls it twice), a search — parsed and planned its
// body again, then ran it as a query of its own: ~10–18 µs a call. PL/pgSQL keeps the
// expression's plan for the session and evaluates it as a simple expression: ~1–3 µs.
// A rule run that notes and changes its ticket makes three such calls (bench:rules).
const body = (language: 'sql' | 'plpgsql') => language === 'sql'
  ? "select public.unaccent('public.unaccent'::regdictionary, $1)"
  : "begin return public.unaccent('public.unaccent'::regdictionary, $1); end";
const define = (language: 'sql' | 'plpgsql') =>
  `create or replace function sportello_unaccent(text) returns text language ${language} immutable parallel safe strict as $$ ${body(language)} $$`;

export class UnaccentInPlPgsqlSoEachStatementDoesNotParseItAgain extends Migration {
  async up(): Promise<void> {
    // create or replace keeps the function's oid (the indexes and the search's lookups name it), owner and grants.
    this.addSql(define('plpgsql'));
  }

  async down(): Promise<void> {
    this.addSql(define('sql'));
  }
}
