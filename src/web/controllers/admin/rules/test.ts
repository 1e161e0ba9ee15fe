// POST /admin/rules/:id/test — Test this rule on ticket #…: the engine's dry run (testRule),
// shown as which conditions hold and what each action would do. It changes nothing, and
// the unit of work is rolled back all the same, so no dry run can ever leave a trace.
import { Customer } from '../../../../domain/customer/customer.js';
import { ruleById } from '../../../../domain/rule/editing.js';
import { testRule } from '../../../../domain/rule/engine.js';
import type { ConditionResult } from '../../../../domain/rule/rule.js';
import { PROPERTIES } from '../../../../domain/rule/vocabulary.js';
import { ruleWords } from '../../../../domain/rule/words.js';
import { Technician } from '../../../../domain/technician/technician.js';
import { ticketWords } from '../../../../domain/ticket/labels.js';
import { Ticket } from '../../../../domain/ticket/ticket.js';
import type { T } from '../../../../i18n/translate.js';
import { parseId } from '../../../../lib/parse.js';
import { admin, type TechnicianCtx } from '../../../action.js';
import { idParam } from '../../../params.js';
import { isFragmentRequest } from '../../../reply.js';
import { renderRulePage, renderSection } from './page.js';

type Names = { customers: Map<string, string>; technicians: Map<string, string> };

/** A condition's expected and actual values in the reader's words (a status's label, a customer's name). */
function shown(c: ConditionResult, names: Names, t: T) {
  const word = (v: string | number | null): string => {
    if (v === null || v === '') return '';
    const s = String(v);
    switch (c.property) {
      case 'status': return t(ticketWords.status[s as keyof typeof ticketWords.status] ?? s);
      case 'priority': return t(ticketWords.priority[s as keyof typeof ticketWords.priority] ?? s);
      case 'type': return t(ticketWords.type[s as keyof typeof ticketWords.type] ?? s);
      case 'source': return t(ruleWords.source[s] ?? s);
      case 'customer': return names.customers.get(s) ?? s;
      case 'assignee': return names.technicians.get(s) ?? s;
      default: return s;
    }
  };
  const expected = Array.isArray(c.value) ? c.value.map(word).join(', ') : word(c.value as string | number | null);
  return { ...c, shown: expected, actualShown: word(c.actual) };
}

async function namesFor(ctx: TechnicianCtx, conditions: ConditionResult[]): Promise<Names> {
  const ids = (kind: 'customer' | 'technician') => conditions.filter((c) => PROPERTIES[c.property]?.kind === kind)
    .flatMap((c) => [c.actual, ...(Array.isArray(c.value) ? c.value : [c.value])]).map((v) => parseId(v)).filter((v): v is number => v !== undefined);
  const customers = ids('customer').length ? await ctx.em.find(Customer, { id: { $in: ids('customer') } }, { fields: ['id', 'name'] }) : [];
  const technicians = ids('technician').length ? await ctx.em.find(Technician, { id: { $in: ids('technician') } }, { fields: ['id', 'name'] }) : [];
  return { customers: new Map(customers.map((c) => [String(c.id), c.name])), technicians: new Map(technicians.map((t) => [String(t.id), t.name])) };
}

export const create = admin(async (ctx) => {
  const { em, req, body, t } = ctx;
  const rule = await ruleById(em, idParam(req));
  const raw = String(body.ticket ?? '').trim().replace(/^#/, '');
  const number = parseId(raw);
  const ticket = number ? await em.findOne(Ticket, { number }) : null;
  let test: Record<string, unknown>;
  let status = 200;
  if (!ticket) {
    status = 422;
    test = { values: { ticket: String(body.ticket ?? '') }, errors: { ticket: raw ? t('rules.test.unknownTicket', { number: raw }) : t('rules.test.ticketRequired') } };
  } else {
    const result = await testRule(em, rule, ticket);
    const names = await namesFor(ctx, result.conditions);
    test = { values: { ticket: String(ticket.number) }, errors: {}, number: ticket.number, result: { ...result, conditions: result.conditions.map((c) => shown(c, names, t)) } };
  }
  ctx.reply.rollback();
  if (isFragmentRequest(req)) await renderSection(ctx, 'admin/rules/_test', rule, { test }, status);
  else await renderRulePage(ctx, rule, { test }, status);
});
