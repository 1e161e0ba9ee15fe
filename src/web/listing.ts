// List screens keep their search, filters and page in the URL, so a view can be
// bookmarked and the htmx fragment answers the same URL as the full page.
import type { Request } from 'express';

export interface Listing {
  /** The query's filters as given (already cleaned), without the page. */
  params: Record<string, string>;
  page: number;
  limit: number;
  offset: number;
}

/** Reads `page` and the named string filters from the query string. */
export function listing(req: Request, filters: string[], limit = 25): Listing {
  const params: Record<string, string> = {};
  for (const name of filters) {
    const raw = req.query[name];
    const value = typeof raw === 'string' ? raw.trim().slice(0, 200) : '';
    if (value) params[name] = value;
  }
  const page = Math.max(1, Math.min(100_000, Math.floor(Number(req.query.page)) || 1));
  return { params, page, limit, offset: (page - 1) * limit };
}

export interface Pager {
  page: number;
  pages: number;
  total: number;
  href(page: number): string;
}

export function pager(path: string, list: Listing, total: number): Pager {
  const pages = Math.max(1, Math.ceil(total / list.limit));
  return {
    page: list.page, pages, total,
    href(page: number): string {
      const query = new URLSearchParams(list.params);
      if (page > 1) query.set('page', String(page));
      const qs = query.toString();
      return qs ? `${path}?${qs}` : path;
    },
  };
}
