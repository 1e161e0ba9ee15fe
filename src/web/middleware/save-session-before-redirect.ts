// express-session saves a changed session while ending the response, after the
// headers are out — and a browser follows a redirect as soon as the headers
// arrive. The next page could then read the session before the save (a flash
// lost, or shown a page late). So a changed session is saved first, then the
// redirect is sent.
import type { NextFunction, Request, Response } from 'express';
import { withoutCookie } from '../session-store.js';

function snapshot(session: Request['session'] | undefined): string {
  return session ? withoutCookie(session) : '';
}

export function saveSessionBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const id = req.sessionID;
  const before = snapshot(req.session);
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    const session = req.session;
    if (!session || (req.sessionID === id && snapshot(session) === before)) return redirect(...args);
    session.save((error) => (error ? next(error) : redirect(...args)));
  }) as Response['redirect'];
  next();
}
