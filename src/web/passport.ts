// passport keeps the signed-in user of a session: only {kind, id, tenantId} (and a
// contact's password date). Checking a password is sign-in.ts's, in as few round
// trips as it can (no strategy: passport-local's would read the account through the ORM).
import passport from 'passport';
import type { SessionUser } from './action.js';

export function setUpPassport(): void {
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: SessionUser, done) => done(null, user));
}
