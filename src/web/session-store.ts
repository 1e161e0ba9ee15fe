// Only a signed-in visitor has a stored session.
import type { SessionData } from 'express-session';

export function isSignedIn(session: Partial<SessionData> | undefined): boolean {
  return Boolean((session as { passport?: { user?: unknown } } | undefined)?.passport?.user);
}
