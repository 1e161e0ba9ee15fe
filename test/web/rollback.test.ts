// A request's unit of work rolls back because something went wrong — the handler
// threw, or caught a failed verb and said so with reply.rollback() — never because
// of the status it answers: a 410 after a failed verb keeps nothing, a 200 keeps all.
import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { ValidationError } from '../../src/lib/validation.js';
import { open, type Ctx } from '../../src/web/action.js';
import { loadFixtures, sql, type Fixtures } from '../support/index.js';

describe('Rolling back a request', () => {
  let f: Fixtures;
  beforeEach(async () => {
    f = await loadFixtures();
  });

  function appWith(handler: (ctx: Ctx) => Promise<unknown>) {
    const app = express();
    app.use((req, _res, next) => {
      req.tenant = f.acme as unknown as typeof req.tenant;
      next();
    });
    app.post('/', open(handler));
    app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => { res.status(500).end(); });
    return supertest(app);
  }

  const write = (ctx: Ctx, name: string) => ctx.sql.query('insert into customers (tenant_id, name) values ($1, $2)', [f.acme.id, name]);
  const kept = async (name: string) => (await sql('select 1 from customers where name = $1', [name])).length === 1;

  it('keeps nothing when the handler caught a failed verb and answers 410', async () => {
    const res = await appWith(async (ctx) => {
      try {
        await write(ctx, 'Half done');
        throw new ValidationError({ token: 'This link has expired.' });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        ctx.reply.rollback();
        ctx.reply.status = 410;
      }
    }).post('/');
    expect(res.status).to.equal(410);
    expect(await kept('Half done')).to.equal(false);
  });

  it('keeps nothing when the handler throws', async () => {
    const res = await appWith(async (ctx) => {
      await write(ctx, 'Thrown away');
      throw new Error('boom');
    }).post('/');
    expect(res.status).to.equal(500);
    expect(await kept('Thrown away')).to.equal(false);
  });

  it('commits what a handler wrote, whatever the status it answers', async () => {
    const res = await appWith(async (ctx) => {
      await write(ctx, 'Kept');
      ctx.reply.status = 409;
    }).post('/');
    expect(res.status).to.equal(409);
    expect(await kept('Kept')).to.equal(true);
  });

  it('lets a handler spread its ctx without making the ORM, the tenant entity or anything else lazy', async () => {
    let seen: Record<string, unknown> = {};
    const res = await appWith(async (ctx) => {
      const copy = { ...ctx } as Record<string, unknown>;
      seen = { keys: Object.keys(copy).sort(), tenantLocal: ctx.res.locals.tenant, tenantLater: ctx.tenant.slug };
      ctx.reply.status = 202;
    }).post('/');
    expect(res.status).to.equal(202);
    expect(seen).to.deep.equal({ keys: ['body', 'form', 'reply', 'req', 'res', 'sql'], tenantLocal: undefined, tenantLater: 'acme' });
  });

  it('refuses to commit a 422 the handler did not roll back (a forgotten reply.rollback() after a caught error)', async () => {
    const res = await appWith(async (ctx) => {
      await write(ctx, 'Refused but kept');
      ctx.reply.status = 422;
    }).post('/');
    expect(res.status).to.equal(500);
    expect(await kept('Refused but kept')).to.equal(false);
  });
});
