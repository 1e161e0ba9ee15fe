// A secret shown on the page a POST redirects to (post/redirect/get), to one view
// only: the POST keeps it in the session, sealed; the first GET of that page takes
// it out and shows it; a reload finds nothing and so cannot repeat it — nor redo
// the POST's work. Never in a URL, never logged.
import type { Request } from 'express';
import { seal, unseal } from '../lib/sealed.js';

declare module 'express-session' {
  interface SessionData {
    shownOnce?: { what: string; sealed: string; expiresAt: number };
  }
}

const PURPOSE = 'shown once';
const LIFETIME_MS = 10 * 60 * 1000;

/** Keeps `secret` for the next view of the page that shows `what` (e.g. "contact 12 temporary password"). */
export function keepToShowOnce(req: Request, what: string, secret: string): void {
  req.session.shownOnce = { what, sealed: seal(secret, PURPOSE), expiresAt: Date.now() + LIFETIME_MS };
}

/** The secret kept for `what`, taken out of the session; undefined when it was already shown (or is for another page). */
export function takeShownOnce(req: Request, what: string): string | undefined {
  const kept = req.session.shownOnce;
  if (!kept || kept.what !== what) return undefined;
  delete req.session.shownOnce;
  return kept.expiresAt > Date.now() ? unseal(kept.sealed, PURPOSE) : undefined;
}
