// List screens keep their search, filters and page in the URL, so a view can be
// bookmarked and the htmx fragment answers the same URL as the full page. Every
// paged list pages PAGE_SIZE (50) rows at a time and links its pages through one
// `Pager` (views/shared/_pager.ejs).
import type { Request } from 'express';
import { PAGE_SIZE, pageCount } from '../lib/parse.js';
import { pageParam, parseText } from './params.js';

export interface Listing {
  /** The query's filters as given (already cleaned), without the page. */
  params: Record<string, string>;
  page: number;
  limit: number;
  offset: number;
}

/** Reads `page` and the named string filters from the query string. */
export function listing(req: Request, filters: string[]): Listing {
  const params: Record<string, string> = {};
  for (const name of filters) {
    const value = parseText(req.query[name]);
    if (value) params[name] = value;
  }
  const page = pageParam(req);
  return { params, page, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
}

export interface Pager {
  page: number;
  pages: number;
  total: number;
  href(page: number): string;
}

/** Paging links for `path` with these query parameters (empty ones left out). */
export function pagerFor(path: string, params: Record<string, string | number | undefined>, page: number, total: number): Pager {
  return {
    page, pages: pageCount(total), total,
    href(to: number): string {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, String(v));
      if (to > 1) query.set('page', String(to));
      const qs = query.toString();
      return qs ? `${path}?${qs}` : path;
    },
  };
}

export function pager(path: string, list: Listing, total: number): Pager {
  return pagerFor(path, list.params, list.page, total);
}
