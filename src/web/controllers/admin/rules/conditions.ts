// A rule's conditions, each row a form of its own: add (POST /admin/rules/:id/conditions),
// save (POST …/conditions/:conditionId), remove (…/deletion). With htmx each answers the
// Conditions section (a refusal: 422, the row as typed with its errors); without, the
// rule's page. GET …/conditions/new and …/:conditionId answer one row for the values
// given (htmx asks when the property or operator changes, for the fitting fields).
import { addCondition, removeCondition, updateCondition } from '../../../../domain/rule/condition-editing.js';
import { conditionOf, ruleById } from '../../../../domain/rule/editing.js';
import { admin, idParam, type TechnicianCtx } from '../../../action.js';
import { isFragmentRequest } from '../../../reply.js';
import { conditionValues, renderRulePage, renderSection, ruleChoices, conditionForm, draftOf, type Draft } from './page.js';

const SECTION = 'admin/rules/_conditions';

async function answer(ctx: TechnicianCtx, ruleId: number, flash: string) {
  const rule = await ruleById(ctx.em, ruleId);
  if (isFragmentRequest(ctx.req)) return renderSection(ctx, SECTION, rule);
  ctx.reply.flash(flash);
  ctx.reply.redirect(`/admin/rules/${rule.id}#conditions`);
}

async function refused(ctx: TechnicianCtx, ruleId: number, draft: Draft) {
  const rule = await ruleById(ctx.em, ruleId);
  if (isFragmentRequest(ctx.req)) return renderSection(ctx, SECTION, rule, { condition: draft }, 422);
  await renderRulePage(ctx, rule, { condition: draft }, 422);
}

/** One row for the values in the query string: the fitting operators and value field. */
async function row(ctx: TechnicianCtx, id: number | 'new') {
  const rule = await ruleById(ctx.em, idParam(ctx.req));
  const condition = id === 'new' ? null : conditionOf(rule, id);
  const values = { ...(condition ? conditionValues(condition) : {}), ...draftOf(ctx.req.query as Record<string, unknown>) };
  if (!isFragmentRequest(ctx.req)) return renderRulePage(ctx, rule, { condition: { id, values, errors: {} } });
  await ctx.reply.render('admin/rules/_condition', { rule, condition, values, errors: {}, choices: await ruleChoices(ctx, rule), conditionForm });
}

export const newRow = admin((ctx) => row(ctx, 'new'));
export const showRow = admin((ctx) => row(ctx, idParam(ctx.req, 'conditionId')));

export const create = admin(async (ctx) => {
  const rule = await ruleById(ctx.em, idParam(ctx.req), { forChange: true });
  const ok = await ctx.form((em) => addCondition(em, ctx.tenant, rule, ctx.body), (errors) => refused(ctx, rule.id, { id: 'new', values: ctx.body, errors }));
  if (ok) await answer(ctx, rule.id, ctx.t('rules.flash.conditionSaved'));
});

export const update = admin(async (ctx) => {
  const rule = await ruleById(ctx.em, idParam(ctx.req), { forChange: true });
  const condition = conditionOf(rule, idParam(ctx.req, 'conditionId'));
  const ok = await ctx.form((em) => updateCondition(em, ctx.tenant, rule, condition, ctx.body), (errors) => refused(ctx, rule.id, { id: condition.id, values: ctx.body, errors }));
  if (ok) await answer(ctx, rule.id, ctx.t('rules.flash.conditionSaved'));
});

export const destroy = admin(async (ctx) => {
  const rule = await ruleById(ctx.em, idParam(ctx.req), { forChange: true });
  const condition = conditionOf(rule, idParam(ctx.req, 'conditionId'));
  await removeCondition(ctx.em, ctx.tenant, rule, condition);
  await answer(ctx, rule.id, ctx.t('rules.flash.conditionRemoved'));
});
