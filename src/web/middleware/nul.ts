// PostgreSQL text cannot hold a NUL character (U+0000): one in a form field, the
// query string or the address used to reach the database and end as a 500. No
// legitimate input has one, so it is refused — with a 422 that says why — where
// input is parsed: here for the address and url-encoded forms (after
// express.urlencoded), and by the upload parser for multipart forms (`hasNul`).
import type { NextFunction, Request, Response } from 'express';
import { log, loggablePath } from '../../lib/logger.js';
import { renderPage } from '../reply.js';
import { ensureSpoken } from './language.js';

/** True when `value` (a string, or arrays and objects of them, keys included) holds a NUL character. */
export function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > 32) return false;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1));
}

/** A NUL in the address: percent-encoded (%00) in the path or the query string, or raw. */
function urlHasNul(url: string): boolean {
  return /%00/i.test(url) || url.includes('\u0000');
}

/** Answers 422 when the address or the parsed body holds a NUL; otherwise hands on. */
export function refuseNul(req: Request, res: Response, next: NextFunction): void {
  if (!urlHasNul(req.originalUrl) && !hasNul(req.body)) return next();
  log.warn({ method: req.method, path: loggablePath(req.path) }, 'NUL character in the request; refused');
  // The plain layout: the session is not read yet (that would query with the NUL). The workspace
  // is known from the Host alone, so the language is the switch's or the workspace's.
  renderPage(req, res, 'layouts/public', 'errors/bad-input', { title: ensureSpoken(req, res).t('errors.badInput.title') }, 422).catch(next);
}
