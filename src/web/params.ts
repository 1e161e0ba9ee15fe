// Route and query parameters as handlers need them. A route's id or ticket number
// that is not a plain positive int4 is the same 404 as a missing record.
import type { Request } from 'express';
import { parseId, parsePage } from '../lib/parse.js';
import { NotFoundError } from '../lib/validation.js';

export { first, parseFlag, parseId, parsePage, parseText } from '../lib/parse.js';

/** The route's `:id` (or `:name`) as a positive integer id, or NotFound. */
export function idParam(req: Request, name = 'id'): number {
  const id = parseId(req.params[name]);
  if (id === undefined) throw new NotFoundError();
  return id;
}

/** A ticket number from the URL (`/tickets/1042`), or NotFound. */
export function numberParam(value: unknown): number {
  const n = parseId(value);
  if (n === undefined || String(n) !== String(value)) throw new NotFoundError();
  return n;
}

/** The `page` of a list's query string. */
export function pageParam(req: Request): number {
  return parsePage(req.query.page);
}
