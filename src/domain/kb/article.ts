import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Language } from '../../i18n/languages.js';
import type { Tenant } from '../tenant/tenant.js';
import type { TocEntry } from './render.js';

export const STATUSES = ['draft', 'published'] as const;
export type ArticleStatus = (typeof STATUSES)[number];
/** everyone: readable without signing in; contacts: any signed-in contact; customers: contacts of the selected customers. */
export const VISIBILITIES = ['everyone', 'contacts', 'customers'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** A knowledge-base category: ordered by position, with a description. */
export class KbCategory {
  id!: number;
  tenant!: Tenant;
  name!: string;
  description: Opt<string> = '';
  position: Opt<number> = 0;
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

/**
 * An article: Markdown as written, and the sanitised HTML, plain text and table of contents
 * rendered from it on every save (render.ts). The search vector is PostgreSQL's (migration 0021).
 */
export class KbArticle {
  id!: number;
  tenant!: Tenant;
  category!: KbCategory;
  title!: string;
  slug!: string;
  body: Opt<string> = '';
  bodyHtml: Opt<string> = '';
  bodyText: Opt<string> = '';
  toc: Opt<TocEntry[]> = [];
  status: Opt<ArticleStatus> = 'draft';
  visibility: Opt<Visibility> = 'everyone';
  language!: Language;
  views: Opt<number> = 0;
  publishedAt?: Date | null = null;
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export const KbCategorySchema = new EntitySchema<KbCategory>(tenantOwned({
  class: KbCategory,
  tableName: 'kb_categories',
  properties: {
    id: { type: 'number', primary: true },
    name: { type: 'string' },
    description: { type: 'text' },
    position: { type: 'number' },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
}));

export const KbArticleSchema = new EntitySchema<KbArticle>(tenantOwned({
  class: KbArticle,
  tableName: 'kb_articles',
  properties: {
    id: { type: 'number', primary: true },
    category: { kind: 'm:1', entity: () => KbCategory, fieldName: 'category_id' },
    title: { type: 'string' },
    slug: { type: 'string' },
    body: { type: 'text' },
    bodyHtml: { type: 'text' },
    bodyText: { type: 'text' },
    toc: { type: 'json' },
    status: { type: 'string' },
    visibility: { type: 'string' },
    language: { type: 'string' },
    views: { type: 'number' },
    publishedAt: { type: 'Date', nullable: true },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
}));
