// A rule's actions, each row a form of its own: add (POST /admin/rules/:id/actions), save
// (POST …/actions/:actionId), remove (…/deletion), answered as the conditions are
// (conditions.ts). GET …/actions/new and …/:actionId answer one row for the values given
// (htmx asks when the action type changes, for the fields it needs).
import { addAction, removeAction, updateAction } from '../../../../domain/rule/action-editing.js';
import { actionOf, ruleById } from '../../../../domain/rule/editing.js';
import { admin, idParam, type TechnicianCtx } from '../../../action.js';
import { isFragmentRequest } from '../../../reply.js';
import { actionValues, renderRulePage, renderSection, ruleChoices, draftOf, type Draft } from './page.js';

const SECTION = 'admin/rules/_actions';

async function answer(ctx: TechnicianCtx, ruleId: number, flash: string) {
  const rule = await ruleById(ctx.em, ruleId);
  if (isFragmentRequest(ctx.req)) return renderSection(ctx, SECTION, rule);
  ctx.reply.flash(flash);
  ctx.reply.redirect(`/admin/rules/${rule.id}#actions`);
}

async function refused(ctx: TechnicianCtx, ruleId: number, draft: Draft) {
  const rule = await ruleById(ctx.em, ruleId);
  if (isFragmentRequest(ctx.req)) return renderSection(ctx, SECTION, rule, { action: draft }, 422);
  await renderRulePage(ctx, rule, { action: draft }, 422);
}

/** One row for the values in the query string: the fields its action type needs. */
async function row(ctx: TechnicianCtx, id: number | 'new') {
  const rule = await ruleById(ctx.em, idParam(ctx.req));
  const action = id === 'new' ? null : actionOf(rule, id);
  const values = { ...(action ? actionValues(action) : {}), ...draftOf(ctx.req.query as Record<string, unknown>) };
  if (!isFragmentRequest(ctx.req)) return renderRulePage(ctx, rule, { action: { id, values, errors: {} } });
  await ctx.reply.render('admin/rules/_action', { rule, action, values, errors: {}, choices: await ruleChoices(ctx, rule) });
}

export const newRow = admin((ctx) => row(ctx, 'new'));
export const showRow = admin((ctx) => row(ctx, idParam(ctx.req, 'actionId')));

export const create = admin(async (ctx) => {
  const rule = await ruleById(ctx.em, idParam(ctx.req), { forChange: true });
  const ok = await ctx.form((em) => addAction(em, ctx.tenant, rule, ctx.body), (errors) => refused(ctx, rule.id, { id: 'new', values: ctx.body, errors }));
  if (ok) await answer(ctx, rule.id, ctx.t('rules.flash.actionSaved'));
});

export const update = admin(async (ctx) => {
  const rule = await ruleById(ctx.em, idParam(ctx.req), { forChange: true });
  const action = actionOf(rule, idParam(ctx.req, 'actionId'));
  const ok = await ctx.form((em) => updateAction(em, ctx.tenant, rule, action, ctx.body), (errors) => refused(ctx, rule.id, { id: action.id, values: ctx.body, errors }));
  if (ok) await answer(ctx, rule.id, ctx.t('rules.flash.actionSaved'));
});

export const destroy = admin(async (ctx) => {
  const rule = await ruleById(ctx.em, idParam(ctx.req), { forChange: true });
  const action = actionOf(rule, idParam(ctx.req, 'actionId'));
  await removeAction(ctx.em, ctx.tenant, rule, action);
  await answer(ctx, rule.id, ctx.t('rules.flash.actionRemoved'));
});
