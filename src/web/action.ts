// Route handlers run as one unit of work for the request's tenant, with the actor
// loaded through that tenant. Controllers stay a few lines: load, call a verb, reply.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { current } from '../current.js';
import type { Em } from '../db/orm.js';
import { inTenantWork, type TenantWork } from '../db/unit-of-work.js';
import type { Sql } from '../db/sql.js';
import { selectList } from '../db/columns.js';
import { Contact, fullName } from '../domain/contact/contact.js';
import { Technician, type TechnicianRole } from '../domain/technician/technician.js';
import { Customer } from '../domain/customer/customer.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { ForbiddenError, NotFoundError, ValidationError, shownErrors } from '../lib/validation.js';
import type { T } from '../i18n/translate.js';
import { speakAs } from './middleware/language.js';
import { Reply, type Layout } from './reply.js';
import { refuse } from './middleware/csrf.js';

/** Field errors as a view shows them: in the reader's words. */
export type ShownErrors = Record<string, string>;

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
  /** The ORM on the request's transaction; made on first use (a page that reads only through `sql` never pays for it). */
  readonly em: Em;
  /** Plain prepared SQL on the same transaction. */
  sql: Sql;
  /** The tenant as an entity of `em` (made on first use). */
  readonly tenant: Tenant;
  reply: Reply;
  body: Record<string, unknown>;
  /** The reader's translator (middleware/language.ts decides the language; a guard refines it). */
  readonly t: T;
  /**
   * The form path: runs `verb` in a savepoint (given the savepoint's `em`); a ValidationError
   * it throws is undone, the unit of work is marked to roll back, and `onInvalid(errors)`
   * answers (the 422 re-render with the input kept) — free to read, form choices included,
   * since the refused write no longer spoils the transaction. The errors come in the
   * reader's words. True when the verb succeeded.
   */
  form(verb: (em: Em) => Promise<unknown>, onInvalid: (errors: ShownErrors) => Promise<unknown>): Promise<boolean>;
}

/** The signed-in technician as the layout and the lists need them, read without the ORM. */
export interface SignedInTechnician { id: number; name: string; role: TechnicianRole }

/** The signed-in contact as the portal's lists and layout need them, read without the ORM. */
export interface SignedInContact {
  id: number; email: string; fullName: string; isMain: boolean;
  customer: { id: number; name: string };
}

export interface TechnicianCtx extends Ctx {
  me: SignedInTechnician;
  /** The signed-in technician as an entity of `em` (made on first use). */
  readonly technician: Technician;
}

export interface PortalCtx extends Ctx {
  me: SignedInContact;
  /** The signed-in contact (customer loaded) as an entity of `em` (made on first use). */
  readonly contact: Contact;
}

class Rollback extends Error {}

type Guard<C> = (ctx: Ctx) => Promise<C | undefined>;

/** What a page's reads may know before its guard has answered: the session's user, not their row. */
export interface ReadCtx { sql: Sql; req: Request; user: SessionUser }

/**
 * A GET page's reads, given the session's user: `undefined` when this request reads
 * otherwise (the handler then reads for itself, after the guard).
 */
export type Reads<D> = (ctx: ReadCtx) => Promise<D> | undefined;

export function sessionUser(req: Request, kind: SessionUser['kind']): SessionUser | undefined {
  const user = req.user as SessionUser | undefined;
  return user && user.kind === kind && req.tenant && user.tenantId === req.tenant.id ? user : undefined;
}

/**
 * `get` computed once, on first read. Not enumerable: spreading or logging a ctx
 * (`{ ...ctx }`) copies the plain fields and makes nothing — no ORM, no entity.
 */
function lazy<T extends object, K extends string, V>(target: T, key: K, get: () => V): T & { readonly [P in K]: V } {
  let value: V | undefined;
  let made = false;
  Object.defineProperty(target, key, {
    enumerable: false,
    get: () => {
      if (!made) {
        value = get();
        made = true;
      }
      return value;
    },
  });
  return target as T & { readonly [P in K]: V };
}


async function runForm(work: TenantWork, req: Request, reply: Reply, verb: (em: Em) => Promise<unknown>, onInvalid: (errors: ShownErrors) => Promise<unknown>): Promise<boolean> {
  try {
    await work.savepoint(verb);
    return true;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    reply.rollback();
    await onInvalid(shownErrors(req.speaker!.t, error.errors));
    return false;
  }
}

function contextFor(work: TenantWork, req: Request, res: Response, reply: Reply): Ctx {
  const ctx = {
    req, res, sql: work.sql, reply, body: (req.body ?? {}) as Record<string, unknown>,
    form: (verb: (em: Em) => Promise<unknown>, onInvalid: (errors: ShownErrors) => Promise<unknown>) => runForm(work, req, reply, verb, onInvalid),
  };
  lazy(ctx, 'em', () => work.em);
  Object.defineProperty(ctx, 't', { enumerable: false, get: () => req.speaker!.t });
  return lazy(ctx as typeof ctx & { em: Em; t: T }, 'tenant', () => {
    const tenant = work.em.merge(Tenant, req.tenant!, { refresh: false });
    res.locals.tenant = tenant;
    return tenant;
  });
}

/** Builds a handler: `guard` loads the actor (or answers and returns undefined). */
export function actionFor<C extends Ctx>(layout: Layout, guard: Guard<C>, preflight?: (req: Request, res: Response) => boolean) {
  const action = (fn: (ctx: C) => Promise<unknown>) => handlerFor<C, undefined>(layout, guard, preflight, undefined, fn);
  /**
   * A page whose reads need only the session's user (a GET; see Reads): they leave in the
   * same socket write as the guard's own read of that user, with the commit behind them
   * (sql.last) — one round trip for the whole unit of work — and run in the same
   * transaction, under the same tenant. What they read reaches `fn` only once the guard has
   * let the user in: for anyone it turns away (deactivated, a password changed, a second
   * factor to enrol, not an admin) it is thrown away unseen. Given no data (`reads` gave
   * none, or the request is no GET), `fn` reads for itself.
   */
  const page = <D>(reads: Reads<D>, fn: (ctx: C, data: D | undefined) => Promise<unknown>) => handlerFor<C, D>(layout, guard, preflight, reads, fn);
  return Object.assign(action, { page });
}

function handlerFor<C extends Ctx, D>(layout: Layout, guard: Guard<C>, preflight: ((req: Request, res: Response) => boolean) | undefined,
  reads: Reads<D> | undefined, fn: (ctx: C, data: D | undefined) => Promise<unknown>): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!req.tenant) return next(new NotFoundError());
    // Before the CSRF check: a multipart body from someone not signed in is left unread (uploads.ts).
    if (preflight && !preflight(req, res)) return;
    if (req.csrfPending) return refuse(req, res);
    const reply = new Reply(req, res, layout);
    const tenantId = req.tenant.id;
    const user = req.user as SessionUser | undefined;
    // A GET's page is drawn after commit when it was read as plain rows (below): its
    // connection goes back to the pool before the templates run. A POST's answer is drawn
    // in its unit of work, so a failure to draw it still undoes what it wrote.
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (get) reply.deferRender();
    try {
      await inTenantWork(tenantId, async (work) => {
        // The guard sends its read of the user at once; a page's reads follow it in the same write (`page` above).
        const guarded = guard(contextFor(work, req, res, reply));
        let data: Promise<D> | undefined;
        try {
          data = get && reads && user ? reads({ sql: work.sql, req, user }) : undefined;
        } catch {
          data = undefined; // a bad parameter: the handler, reading for itself after the guard, meets it again
        }
        if (data) {
          data = work.sql.last(data);
          data.catch(() => undefined); // awaited below once the guard lets the user in; else only its answer is waited for
        }
        const ctx = await guarded;
        if (ctx) await fn(ctx, data ? await data : undefined);
        else await data?.catch(() => undefined);
        // Entities may load what the views read of them: such a page is drawn while the unit is open.
        if (work.usesOrm) await reply.drawn();
        // A 422 says "refused, nothing changed": the handler must have rolled back (a forgotten
        // reply.rollback() after a caught ValidationError would otherwise commit half a change).
        if (reply.status === 422 && !reply.rolledBack) throw new Error('A 422 answer without reply.rollback(): the refused change would commit');
        if (reply.rolledBack) throw new Rollback();
      }, user ? { kind: user.kind, id: user.id } : undefined);
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    await reply.drawn();
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

/** The only page open to a technician who must enrol a second factor first. */
export const ENROL_SECOND_FACTOR_PATH = '/profile/two-factor';

async function loadTechnician(ctx: Ctx, role?: 'admin'): Promise<TechnicianCtx | undefined> {
  const user = sessionUser(ctx.req, 'technician')!;
  // Where Admin > Security requires a second factor, whether they have one comes with them: no statement after this one.
  const mustHaveSecondFactor = ctx.req.tenant!.requireSecondFactor && ctx.req.path !== ENROL_SECOND_FACTOR_PATH;
  const read = await ctx.sql.one<Record<string, unknown> & { id: number; name: string; email: string; role: TechnicianRole; has_second_factor: boolean }>(
    `select ${selectList(Technician, 't')}, ${mustHaveSecondFactor ? `exists (select 1 from technician_second_factors f
        where f.tenant_id = t.tenant_id and f.technician_id = t.id and f.confirmed_at is not null)` : 'true'} as has_second_factor
     from technicians t where t.id = $1 and t.tenant_id = $2 and t.active`, [user.id, ctx.sql.tenantId]);
  if (!read) {
    // Deactivated or removed: the session ends here (else /login, seeing it, sends them back to /).
    await new Promise<void>((resolve) => ctx.req.logout(() => resolve()));
    ctx.reply.redirect('/login');
    return undefined;
  }
  const { has_second_factor: hasSecondFactor, ...row } = read;
  const me: SignedInTechnician = { id: row.id, name: row.name, role: row.role };
  speakAs(ctx.req, ctx.res, row.language, (row.time_zone as string | null) ?? null);
  ctx.res.locals.technician = me;
  nameActor(me.name);
  // Admin > Security can require a second factor: until they have one, a technician sees only the enrolment page.
  if (mustHaveSecondFactor && !hasSecondFactor) {
    ctx.reply.redirect(ENROL_SECOND_FACTOR_PATH);
    return undefined;
  }
  if (role && row.role !== role) throw new ForbiddenError('errors.forbidden.adminsOnly');
  return lazy(Object.assign(ctx, { me }), 'technician', () => ctx.em.map(Technician, row));
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
  const row = await ctx.sql.one<Record<string, unknown> & {
    id: number; email: string; first_name: string; last_name: string; is_main: boolean; must_change_password: boolean; password_generation: string;
  }>(`select ${selectList(Contact, 'c')}, floor(extract(epoch from c.password_changed_at) * 1000)::bigint as password_generation,
      ${selectList(Customer, 'cu', 'customer__')}
    from contacts c join customers cu on cu.id = c.customer_id and cu.tenant_id = c.tenant_id
    where c.id = $1 and c.tenant_id = $2 and c.portal_access`, [user.id, ctx.sql.tenantId]);
  // A password change (or reset) elsewhere ends this session.
  if (!row || Number(row.password_generation ?? 0) !== (user.pwdAt ?? 0)) {
    await new Promise<void>((resolve) => ctx.req.logout(() => resolve()));
    ctx.reply.redirect('/portal/login');
    return undefined;
  }
  if (row.must_change_password && ctx.req.path !== CHANGE_PASSWORD_PATH) {
    ctx.reply.redirect(CHANGE_PASSWORD_PATH);
    return undefined;
  }
  const contactRow: Record<string, unknown> = {};
  const customerRow: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith('customer__')) customerRow[key.slice('customer__'.length)] = value;
    else if (key !== 'password_generation') contactRow[key] = value;
  }
  const me: SignedInContact = {
    id: row.id, email: row.email, isMain: row.is_main,
    fullName: fullName({ firstName: row.first_name, lastName: row.last_name, email: row.email }),
    customer: { id: customerRow.id as number, name: customerRow.name as string },
  };
  speakAs(ctx.req, ctx.res, row.language);
  ctx.res.locals.contact = me;
  nameActor(me.fullName);
  return lazy(Object.assign(ctx, { me }), 'contact', () => {
    ctx.em.map(Customer, customerRow);
    return ctx.em.map(Contact, contactRow);
  });
}

/** The portal: signed in as a contact of this tenant, with portal access. */
export const portal = actionFor<PortalCtx>('layouts/portal', loadContact,
  (req, res) => (sessionUser(req, 'contact') ? true : loginRedirect(req, res, '/portal/login')));

/** Portal pages anyone may open (sign-in, forgot password, reset). */
export const portalOpen = actionFor<Ctx>('layouts/portal', async (ctx) => ctx);

/** Tenant pages anyone may open (sign-in, set password). */
export const open = actionFor<Ctx>('layouts/public', async (ctx) => ctx);

export { idParam } from './params.js';

/** Portal pages open to anyone that know the contact when one is signed in (the knowledge base). */
export interface PortalVisitorCtx extends Ctx { me?: SignedInContact }
export const portalPublic = actionFor<PortalVisitorCtx>('layouts/portal', async (ctx) => (sessionUser(ctx.req, 'contact') ? loadContact(ctx) : ctx));
