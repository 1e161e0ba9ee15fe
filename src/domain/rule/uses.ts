// The rules that name a template or a technician in their actions: a template a rule
// sends cannot be deleted, nor a technician a rule assigns deactivated, while the rule
// names them — the refusal names the rules, so the admin knows which to change.
import type { Em } from '../../db/orm.js';
import type { Message } from '../../lib/validation.js';
import type { EmailTemplate } from '../email/email-template.js';
import type { Technician } from '../technician/technician.js';
import { TicketRuleAction } from './rule.js';

async function ruleNames(em: Em, where: { template: number } | { technician: number }): Promise<string[]> {
  const actions = await em.find(TicketRuleAction, where, { populate: ['rule'], orderBy: { rule: { position: 'asc', id: 'asc' } } });
  return [...new Set(actions.map((a) => a.rule.name))];
}

/** Where a template is used by rules, one message per rule (templates.ts lists the uses). */
export async function templateUsesInRules(em: Em, template: EmailTemplate): Promise<Message[]> {
  return (await ruleNames(em, { template: template.id })).map((name) => ({ key: 'ruleEngine.uses.template', params: { name } }));
}

/** Refuses (as a field error on `technician`) while an active or inactive rule assigns the technician. */
export async function technicianUseInRules(em: Em, technician: Technician): Promise<Message | null> {
  const names = await ruleNames(em, { technician: technician.id });
  if (!names.length) return null;
  return { key: 'ruleEngine.uses.technician', params: { name: technician.name, rules: names.map((n) => `“${n}”`).join(', '), count: names.length } };
}
