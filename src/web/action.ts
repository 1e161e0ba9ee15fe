// Route handlers run as one unit of work for the request's tenant, with the actor
// loaded through that tenant. Controllers stay a few lines: load, call a verb, reply.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { current } from '../current.js';
import type { Em } from '../db/orm.js';
import { inTenant } from '../db/unit-of-work.js';
import { Contact } from '../domain/contact/contact.js';
import { Technician } from '../domain/technician/technician.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { ForbiddenError, NotFoundError } from '../lib/validation.js';
import { Reply, type Layout } from './reply.js';
import { refuse } from './middleware/csrf.js';

export interface SessionUser {
  kind: 'technician' | 'contact';
  id: number;
  tenantId: number;
  /** For contacts: the password generation this session was opened with. */
  pwdAt?: number;
}

export interface Ctx {
  req: Request;
  res: Response;
  em: Em;
  tenant: Tenant;
  reply: Reply;
  body: Record<string, unknown>;
}

export interface TechnicianCtx extends Ctx {
  technician: Technician;
}

export interface PortalCtx extends Ctx {
  contact: Contact;
}

class Rollback extends Error {}

type Guard<C> = (ctx: Ctx) => Promise<C | undefined>;

export function sessionUser(req: Request, kind: SessionUser['kind']): SessionUser | undefined {
  const user = req.user as SessionUser | undefined;
  return user && user.kind === kind && req.tenant && user.tenantId === req.tenant.id ? user : undefined;
}

/** Builds a handler: `guard` loads the actor (or answers and returns undefined). */
export function actionFor<C extends Ctx>(layout: Layout, guard: Guard<C>, preflight?: (req: Request, res: Response) => boolean) {
  return (fn: (ctx: C) => Promise<unknown>): RequestHandler => async (req: Request, res: Response, next: NextFunction) => {
    if (req.csrfPending) return refuse(req, res);
    if (!req.tenant) return next(new NotFoundError());
    if (preflight && !preflight(req, res)) return;
    const reply = new Reply(req, res, layout);
    const tenantId = req.tenant.id;
    const user = req.user as SessionUser | undefined;
    try {
      await inTenant(tenantId, async (em) => {
        const tenant = em.merge(Tenant, req.tenant!, { refresh: false });
        res.locals.tenant = tenant;
        const ctx = await guard({ req, res, em, tenant, reply, body: (req.body ?? {}) as Record<string, unknown> });
        if (ctx) await fn(ctx);
        if (reply.rollback) throw new Rollback();
      }, user ? { kind: user.kind, id: user.id } : undefined);
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    reply.send();
  };
}

/** The audit log names who acted. */
function nameActor(name: string): void {
  const actor = current()?.actor;
  if (actor) actor.name = name;
}

function loginRedirect(req: Request, res: Response, to: string): boolean {
  const target = `${to}?next=${encodeURIComponent(req.originalUrl)}`;
  if (req.get('HX-Request') === 'true') res.set('HX-Redirect', target).status(401).end();
  else res.redirect(303, target);
  return false;
}

async function loadTechnician(ctx: Ctx, role?: 'admin'): Promise<TechnicianCtx | undefined> {
  const user = sessionUser(ctx.req, 'technician')!;
  const technician = await ctx.em.findOne(Technician, { id: user.id, active: true });
  if (!technician) {
    // Deactivated or removed: the session ends here (else /login, seeing it, sends them back to /).
    await new Promise<void>((resolve) => ctx.req.logout(() => resolve()));
    ctx.reply.redirect('/login');
    return undefined;
  }
  if (role && technician.role !== role) throw new ForbiddenError('Only admins can do this.');
  ctx.res.locals.technician = technician;
  nameActor(technician.name);
  return { ...ctx, technician };
}

/** The technician app: signed in as a technician of this tenant. */
export const technician = actionFor<TechnicianCtx>('layouts/app', (ctx) => loadTechnician(ctx),
  (req, res) => (sessionUser(req, 'technician') ? true : loginRedirect(req, res, '/login')));

/** Admin screens: a technician with the admin role. */
export const admin = actionFor<TechnicianCtx>('layouts/app', (ctx) => loadTechnician(ctx, 'admin'),
  (req, res) => (sessionUser(req, 'technician') ? true : loginRedirect(req, res, '/login')));

/** Only CHANGE_PASSWORD_PATH is open to a contact who must change their password. */
export const CHANGE_PASSWORD_PATH = '/portal/account/password';

async function loadContact(ctx: Ctx): Promise<PortalCtx | undefined> {
  const user = sessionUser(ctx.req, 'contact')!;
  const contact = await ctx.em.findOne(Contact, { id: user.id, portalAccess: true }, { populate: ['customer'] });
  // A password change (or reset) elsewhere ends this session.
  if (!contact || (contact.passwordChangedAt?.getTime() ?? 0) !== (user.pwdAt ?? 0)) {
    await new Promise<void>((resolve) => ctx.req.logout(() => resolve()));
    ctx.reply.redirect('/portal/login');
    return undefined;
  }
  if (contact.mustChangePassword && ctx.req.path !== CHANGE_PASSWORD_PATH) {
    ctx.reply.redirect(CHANGE_PASSWORD_PATH);
    return undefined;
  }
  ctx.res.locals.contact = contact;
  nameActor(contact.fullName);
  return { ...ctx, contact };
}

/** The portal: signed in as a contact of this tenant, with portal access. */
export const portal = actionFor<PortalCtx>('layouts/portal', loadContact,
  (req, res) => (sessionUser(req, 'contact') ? true : loginRedirect(req, res, '/portal/login')));

/** Portal pages anyone may open (sign-in, forgot password, reset). */
export const portalOpen = actionFor<Ctx>('layouts/portal', async (ctx) => ctx);

/** Tenant pages anyone may open (sign-in, set password). */
export const open = actionFor<Ctx>('layouts/public', async (ctx) => ctx);

/** A value from the route, as a positive integer id, or NotFound. */
export function idParam(req: Request, name = 'id'): number {
  const value = Number(req.params[name]);
  if (!Number.isSafeInteger(value) || value <= 0 || value > 2_147_483_647) throw new NotFoundError();
  return value;
}
