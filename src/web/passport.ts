// passport: the session keeps only {kind, id, tenantId} (and a contact's password date),
// and passport-local's strategies check a sign-in's password (technicians, portal contacts).
// The account they check it against was read by the sign-in's first statement, with its
// limits (sign-in.ts): the strategy itself costs no round trip, only the hash, which runs
// on libuv's pool (argon2's native worker).
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { verifyPassword } from '../lib/passwords.js';
import type { SessionUser } from './action.js';

/** The account a sign-in read for the address it was given: its hash and who it signs in, or nothing (then a decoy hash is checked). */
export interface AccountRead { hash: string | null; user: SessionUser | null }

const readFor = new WeakMap<Request, AccountRead>();

function checkPassword(req: Request, _email: string, password: string, done: (error: unknown, user?: SessionUser | false) => void): void {
  const account = readFor.get(req);
  // An unknown account is checked against a decoy hash: it answers in the same time.
  verifyPassword(account?.user ? account.hash : null, password)
    .then((ok) => done(null, ok && account?.user ? account.user : false))
    .catch(done);
}

export function setUpPassport(): void {
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: SessionUser, done) => done(null, user));
  for (const kind of ['technician', 'contact'] as const) {
    passport.use(kind, new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, checkPassword));
  }
}

/** passport-local's verdict on the form's password for `account`: the user it signs in, or false. */
export function authenticate(kind: SessionUser['kind'], account: AccountRead, req: Request, res: Response, next: NextFunction): Promise<SessionUser | false> {
  readFor.set(req, account);
  return new Promise((resolve, reject) => {
    passport.authenticate(kind, { session: false }, (error: unknown, user: SessionUser | false) => (error ? reject(error) : resolve(user ?? false)))(req, res, next);
  });
}
