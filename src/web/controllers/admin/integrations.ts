// Admin > Integrations > Microsoft Entra ID: connect a customer's directory, edit or remove
// the connection, Test connection, and Sync now (the entra-sync job; its progress and report
// are the contact import's page). The client secret is never sent back to the browser.
import { afterCommit } from '../../../db/unit-of-work.js';
import {
  connectionById, connections, createConnection, credentialsOf, customersWithoutConnection, dailySyncState, deleteConnection, syncUnderWay, updateConnection, type EntraConnection,
} from '../../../domain/integration/entra-connection.js';
import { recordTest, startSync, testConnection } from '../../../domain/integration/entra-sync.js';
import { PROBLEM_WORDS, STEP_WORDS } from '../../../domain/integration/entra-words.js';
import { ENTRA_SYNC } from '../../../jobs/entra-sync.js';
import { queueJob } from '../../../jobs/queue.js';
import { connectionTestLimiter } from '../../rate-limits.js';
import { admin, idParam, type TechnicianCtx } from '../../action.js';

/** What the form shows again: everything typed but the secret. */
function typed(body: Record<string, unknown>): Record<string, unknown> {
  const { secret: _secret, _csrf, ...rest } = body;
  return { ...rest, onlyEnabled: body.onlyEnabled === 'on', onlyWithMail: body.onlyWithMail === 'on', dailySync: body.dailySync === 'on' };
}

export const index = admin(async (ctx) => {
  await ctx.reply.render('admin/integrations/index', {
    title: ctx.t('entra.index.title'), connections: await connections(ctx.em), problemWords: PROBLEM_WORDS, free: (await customersWithoutConnection(ctx.em)).length,
  });
});

async function newForm(ctx: TechnicianCtx, values: Record<string, unknown>, errors: Record<string, string> = {}, status = 200) {
  const customers = await customersWithoutConnection(ctx.em);
  await ctx.reply.render('admin/integrations/new', { title: ctx.t('entra.form.newTitle'), customers, values, errors }, status);
}

export const newConnection = admin((ctx) => newForm(ctx, { onlyEnabled: true, onlyWithMail: false, customerId: ctx.req.query.customer ?? '' }));

export const create = admin(async (ctx) => {
  await ctx.form(async (em) => {
    const connection = await createConnection(em, ctx.tenant, ctx.body);
    ctx.reply.flash(ctx.t('entra.flash.connected', { name: connection.customer.name }));
    ctx.reply.redirect(`/admin/integrations/entra/${connection.id}`);
  }, (errors) => newForm(ctx, typed(ctx.body), errors, 422));
});

async function editForm(ctx: TechnicianCtx, connection: EntraConnection, values: Record<string, unknown>, errors: Record<string, string> = {}, status = 200) {
  const daily = await dailySyncState(ctx.em, connection);
  const underWay = await syncUnderWay(ctx.em, connection);
  await ctx.reply.render('admin/integrations/edit', { title: ctx.t('entra.form.editTitle', { name: connection.customer.name }), connection, values, errors, daily, underWay, problemWords: PROBLEM_WORDS }, status);
}

export const edit = admin(async (ctx) => {
  const connection = await connectionById(ctx.em, idParam(ctx.req));
  await editForm(ctx, connection, connection as unknown as Record<string, unknown>);
});

export const update = admin(async (ctx) => {
  const connection = await connectionById(ctx.em, idParam(ctx.req));
  await ctx.form(async (em) => {
    await updateConnection(em, ctx.tenant, connection, ctx.body);
    ctx.reply.flash(ctx.t('entra.flash.saved', { name: connection.customer.name }));
    ctx.reply.redirect(`/admin/integrations/entra/${connection.id}`);
  }, (errors) => editForm(ctx, connection, typed(ctx.body), errors, 422));
});

export const destroy = admin(async (ctx) => {
  const connection = await connectionById(ctx.em, idParam(ctx.req));
  await deleteConnection(ctx.em, ctx.tenant, connection);
  ctx.reply.flash(ctx.t('entra.flash.deleted', { name: connection.customer.name }));
  ctx.reply.redirect('/admin/integrations');
});

/** Test connection, of the saved connection: its steps and result (a fragment the page swaps in). */
export const test = admin(async (ctx) => {
  const connection = await connectionById(ctx.em, idParam(ctx.req));
  const wait = await connectionTestLimiter().consume(ctx.tenant.id);
  if (wait) {
    await ctx.reply.render('admin/integrations/_test', { report: null, tooMany: Math.ceil(wait / 60), problemWords: PROBLEM_WORDS, stepWords: STEP_WORDS }, 200, true);
    return;
  }
  const credentials = await credentialsOf(ctx.em, connection);
  const { groupId } = connection;
  const tenantId = ctx.sql.tenantId;
  // After the commit: a slow directory holds no database connection.
  afterCommit(async () => {
    const report = await testConnection(credentials, groupId);
    await recordTest(tenantId, connection.id, report);
    await ctx.reply.render('admin/integrations/_test', { report, tooMany: 0, problemWords: PROBLEM_WORDS, stepWords: STEP_WORDS }, 200, true);
  });
});

/** Sync now: an import of the directory's users, queued; its page shows the progress. */
export const sync = admin(async (ctx) => {
  const connection = await connectionById(ctx.em, idParam(ctx.req));
  await ctx.form(async (em) => {
    const run = await startSync(em, ctx.tenant, ctx.technician, connection);
    await queueJob(ENTRA_SYNC, { tenantId: ctx.sql.tenantId, importId: run.id });
    ctx.reply.redirect(`/contacts/imports/${run.id}`);
  }, (errors) => editForm(ctx, connection, connection as unknown as Record<string, unknown>, errors, 422));
});
