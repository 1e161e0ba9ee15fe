// passport: the local strategy checks a technician's password inside a unit of
// work for the request's tenant; the session keeps only {kind, id, tenantId}.
import type { Request } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { inTenant } from '../db/unit-of-work.js';
import { authenticateContact } from '../domain/contact/portal-auth.js';
import { authenticateTechnician } from '../domain/technician/technicians.js';
import type { SessionUser } from './action.js';

export function setUpPassport(): void {
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: SessionUser, done) => done(null, user));
  passport.use('technician', new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true },
    (req: Request, email, password, done) => {
      const tenantId = req.tenant?.id;
      if (!tenantId) return done(null, false);
      inTenant(tenantId, (em) => authenticateTechnician(em, email, password))
        .then((technician) => done(null, technician ? { kind: 'technician', id: technician.id, tenantId } satisfies SessionUser : false))
        .catch(done);
    }));
  passport.use('contact', new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true },
    (req: Request, email, password, done) => {
      const tenantId = req.tenant?.id;
      if (!tenantId) return done(null, false);
      inTenant(tenantId, (em) => authenticateContact(em, email, password))
        .then((contact) => done(null, contact
          ? { kind: 'contact', id: contact.id, tenantId, pwdAt: contact.passwordChangedAt?.getTime() ?? 0 } satisfies SessionUser
          : false))
        .catch(done);
    }));
}
