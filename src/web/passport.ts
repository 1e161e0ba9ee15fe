// passport: the session keeps only {kind, id, tenantId} (and a contact's password date);
// passport.session() gives each request its signed-in user from there. A sign-in's
// password is checked by the sign-in form itself (sign-in.ts: verifyPassword against the
// account its first statement read with the limits, a decoy hash when there is none), and
// the session regenerated there (sign-in.ts `login`), as passport's `req.login` does.
import passport from 'passport';
import type { SessionUser } from './action.js';

export function setUpPassport(): void {
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: SessionUser, done) => done(null, user));
}
