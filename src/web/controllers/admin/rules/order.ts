// POST /admin/rules/:id/position (up, down, or a place: the drag) and /admin/rules/:id/activation,
// both from the list. With htmx they answer the list (or the row) in place; without, the list again.
import { moveRule, placeOf, ruleById, setRuleActive } from '../../../../domain/rule/editing.js';
import { listRules } from '../../../../domain/rule/lists.js';
import { parseFlag, parseId } from '../../../../lib/parse.js';
import { admin, idParam } from '../../../action.js';
import { isFragmentRequest } from '../../../reply.js';

export const move = admin(async (ctx) => {
  const { em, tenant, req, body, reply, sql, t } = ctx;
  const rule = await ruleById(em, idParam(req), { forChange: true });
  const current = await placeOf(em, rule);
  const place = body.direction === 'up' ? current - 1 : body.direction === 'down' ? current + 1 : parseId(body.position) ?? current;
  await moveRule(em, tenant, rule, place);
  if (isFragmentRequest(req)) return reply.render('admin/rules/_list', { rules: await listRules(sql) });
  reply.flash(t('rules.flash.moved', { name: rule.name, place: await placeOf(em, rule) }));
  reply.redirect('/admin/rules');
});

export const activation = admin(async (ctx) => {
  const { em, tenant, req, body, reply, sql, t } = ctx;
  const rule = await ruleById(em, idParam(req), { forChange: true });
  await setRuleActive(em, tenant, rule, parseFlag(body.active));
  if (isFragmentRequest(req)) {
    const rules = await listRules(sql);
    return reply.render('admin/rules/_rule', { r: rules.find((r) => r.id === rule.id), first: rules[0]?.id === rule.id, last: rules.at(-1)?.id === rule.id });
  }
  reply.flash(t(rule.active ? 'rules.flash.activated' : 'rules.flash.deactivated', { name: rule.name }));
  reply.redirect('/admin/rules');
});
