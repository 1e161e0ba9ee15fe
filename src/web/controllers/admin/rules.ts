// Admin > Ticket Automation Rules: the list in order, Add New Rule (a modal with htmx, a
// page without), a rule's page with its details, and deletion.
import { createRule, deleteRule, ruleById, updateRule } from '../../../domain/rule/editing.js';
import { listRules } from '../../../domain/rule/lists.js';
import { TRIGGERS } from '../../../domain/rule/vocabulary.js';
import { admin, idParam, type ShownErrors, type TechnicianCtx } from '../../action.js';
import { isFragmentRequest } from '../../reply.js';
import { renderRulePage } from './rules/page.js';

export const index = admin(async ({ sql, reply, t }) => {
  const rules = await listRules(sql);
  await reply.render('admin/rules/index', { title: t('rules.index.title'), rules });
});

/** Add New Rule: with htmx the form comes as a modal over the list, else as a page. */
async function newRulePage(ctx: TechnicianCtx, values: Record<string, unknown>, errors: ShownErrors, status = 200) {
  const modal = isFragmentRequest(ctx.req);
  await ctx.reply.render('admin/rules/new', { title: ctx.t('rules.form.title'), values, errors, modal, triggers: TRIGGERS }, status);
}

export const newRule = admin((ctx) => newRulePage(ctx, { trigger: 'ticket_created', ignoreFlow: 'no', active: 'no' }, {}));

export const create = admin(async (ctx) => {
  await ctx.form(async (em) => {
    const rule = await createRule(em, ctx.tenant, ctx.body);
    ctx.reply.flash(ctx.t('rules.flash.created', { name: rule.name }));
    ctx.reply.redirect(`/admin/rules/${rule.id}`);
  }, (errors) => newRulePage(ctx, ctx.body, errors, 422));
});

export const show = admin(async (ctx) => {
  const rule = await ruleById(ctx.em, idParam(ctx.req));
  await renderRulePage(ctx, rule);
});

export const update = admin(async (ctx) => {
  const rule = await ruleById(ctx.em, idParam(ctx.req), { forChange: true });
  await ctx.form(async (em) => {
    await updateRule(em, ctx.tenant, rule, ctx.body);
    ctx.reply.flash(ctx.t('rules.flash.saved', { name: rule.name }));
    ctx.reply.redirect(`/admin/rules/${rule.id}`);
  }, (errors) => renderRulePage(ctx, rule, { details: { values: ctx.body, errors } }, 422));
});

export const destroy = admin(async (ctx) => {
  const rule = await ruleById(ctx.em, idParam(ctx.req), { forChange: true });
  const name = rule.name;
  await deleteRule(ctx.em, ctx.tenant, rule);
  ctx.reply.flash(ctx.t('rules.flash.deleted', { name }));
  ctx.reply.redirect('/admin/rules');
});
