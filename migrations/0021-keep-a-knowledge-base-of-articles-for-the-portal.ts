import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

// The knowledge base (issue 15): categories and articles written by technicians, read in the
// portal. An article keeps its Markdown and the sanitised HTML rendered from it (never HTML
// from input), the plain text of that HTML (what search reads and highlights) and its table
// of contents. `search` is computed by PostgreSQL from the title (weight A) and the text
// (weight B) with the article's own language: kb_italian / kb_english are the built-in
// configurations with `unaccent` before the stemmer, so "perche" finds "perché" and the
// highlights show the words as written. A GIN index keeps search fast at tens of thousands
// of articles. Old slugs stay as redirects; votes are one per contact or anonymous browser;
// an opening from the new-ticket suggestions is kept to count deflections.
export class KeepAKnowledgeBaseOfArticlesForThePortal extends Migration {
  async up(): Promise<void> {
    this.addSql('create extension if not exists unaccent');
    for (const [name, base, stem] of [['kb_italian', 'italian', 'italian_stem'], ['kb_english', 'english', 'english_stem']]) {
      this.addSql(`create text search configuration ${name} (copy = pg_catalog.${base})`);
      this.addSql(`alter text search configuration ${name} alter mapping for asciiword, asciihword, hword_asciipart, hword, hword_part, word with unaccent, ${stem}`);
    }

    this.addSql(`create table kb_categories (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      name varchar(200) not null check (length(btrim(name)) > 0),
      description text not null default '',
      position int not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, id)
    )`);
    this.addSql('create unique index kb_categories_name on kb_categories (tenant_id, lower(name))');
    this.addSql('create index kb_categories_order on kb_categories (tenant_id, position, id)');

    this.addSql(`create table kb_articles (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      category_id int not null,
      title varchar(300) not null check (length(btrim(title)) > 0),
      slug varchar(200) not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      body text not null default '',
      body_html text not null default '',
      body_text text not null default '',
      toc jsonb not null default '[]',
      status varchar(20) not null default 'draft' check (status in ('draft', 'published')),
      visibility varchar(20) not null default 'everyone' check (visibility in ('everyone', 'contacts', 'customers')),
      language varchar(5) not null check (language in ('it', 'en')),
      views int not null default 0,
      published_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      search tsvector generated always as (
        setweight(to_tsvector(case language when 'it' then 'kb_italian'::regconfig else 'kb_english'::regconfig end, title), 'A') ||
        setweight(to_tsvector(case language when 'it' then 'kb_italian'::regconfig else 'kb_english'::regconfig end, body_text), 'B')
      ) stored,
      unique (tenant_id, id),
      unique (tenant_id, slug),
      foreign key (tenant_id, category_id) references kb_categories (tenant_id, id) on delete restrict
    )`);
    this.addSql('create index kb_articles_search on kb_articles using gin (search)');
    this.addSql('create index kb_articles_list on kb_articles (tenant_id, updated_at desc, id desc)');
    this.addSql('create index kb_articles_category on kb_articles (tenant_id, category_id, status)');

    this.addSql(`create table kb_article_customers (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      article_id int not null,
      customer_id int not null,
      unique (tenant_id, article_id, customer_id),
      foreign key (tenant_id, article_id) references kb_articles (tenant_id, id) on delete cascade,
      foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index kb_article_customers_customer on kb_article_customers (tenant_id, customer_id)');

    this.addSql(`create table kb_article_slugs (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      article_id int not null,
      slug varchar(200) not null,
      created_at timestamptz not null default now(),
      unique (tenant_id, slug),
      foreign key (tenant_id, article_id) references kb_articles (tenant_id, id) on delete cascade
    )`);

    this.addSql(`create table kb_images (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      article_id int not null,
      file_name varchar(200) not null,
      content_type varchar(100) not null,
      size int not null,
      data bytea not null,
      created_at timestamptz not null default now(),
      foreign key (tenant_id, article_id) references kb_articles (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index kb_images_article on kb_images (tenant_id, article_id)');

    this.addSql(`create table kb_votes (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      article_id int not null,
      voter varchar(80) not null,
      helpful boolean not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, article_id, voter),
      foreign key (tenant_id, article_id) references kb_articles (tenant_id, id) on delete cascade
    )`);

    this.addSql(`create table kb_suggestion_opens (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      article_id int not null,
      contact_id int not null,
      opened_at timestamptz not null default now(),
      foreign key (tenant_id, article_id) references kb_articles (tenant_id, id) on delete cascade,
      foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index kb_suggestion_opens_article on kb_suggestion_opens (tenant_id, article_id, opened_at)');

    // The search's GIN index and row-level security: see 0031 (sportello_kb_search). This migration
    // once marked pg_catalog.ts_match_vq LEAKPROOF here; 0031 undoes it where it ran.

    for (const table of ['kb_categories', 'kb_articles', 'kb_article_customers', 'kb_article_slugs', 'kb_images', 'kb_votes', 'kb_suggestion_opens']) {
      for (const statement of tenantTableSecurity(table)) this.addSql(statement);
    }
  }
}
