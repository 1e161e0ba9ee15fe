// Session lifetimes without a database write on every request: a session ends
// 12 hours after sign-in or after 2 hours without use; "last seen" is refreshed at
// most every 10 minutes, so most requests only read. The 12 hours are counted here,
// on the server: every save of the session (and express-session's touch) pushes the
// cookie's and the store's expiry forward, so they cannot end a busy session.
import type { NextFunction, Request, Response } from 'express';

declare module 'express-session' {
  interface SessionData {
    seenAt?: number;
    /** When the user signed in (set by `login`). */
    signedInAt?: number;
  }
}

export const IDLE_TIMEOUT_MS = 2 * 3600_000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 3600_000;
const REFRESH_MS = 10 * 60_000;

export function sessionTimeouts(req: Request, res: Response, next: NextFunction): void {
  const session = req.session;
  const signedIn = Boolean((session as { passport?: { user?: unknown } } | undefined)?.passport?.user);
  if (!session || !signedIn) return next();
  const now = Date.now();
  const seenAt = session.seenAt ?? now;
  // A session signed in before signedInAt existed counts from now.
  session.signedInAt ??= now;
  if (now - seenAt > IDLE_TIMEOUT_MS || now - session.signedInAt > ABSOLUTE_TIMEOUT_MS) {
    session.regenerate((error) => next(error));
    return;
  }
  if (!session.seenAt || now - seenAt > REFRESH_MS) session.seenAt = now;
  next();
}
