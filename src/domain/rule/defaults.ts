// The rules every new workspace starts with, all inactive, in its language: the source
// article's example (New Ticket Created, title equals [Portal Credentials] → email the
// contact the credentials template), Ticket received (to the requester of a ticket a
// technician did not open) and Technician reply, with the shipped templates. Workspaces
// that existed before rules got them once from migration 0020, in the same words.
import type { Em } from '../../db/orm.js';
import { speakerFor } from '../../i18n/translate.js';
import { EmailTemplate } from '../email/email-template.js';
import type { Tenant } from '../tenant/tenant.js';
import { TicketRule, TicketRuleAction, TicketRuleCondition } from './rule.js';
import type { ConditionValue, RuleOperator, RuleProperty, RuleTrigger } from './vocabulary.js';

/** The article's title, in every language: contacts write it as the article says. */
export const CREDENTIALS_TITLE = '[Portal Credentials]';

export async function createDefaultRules(em: Em, tenant: Tenant): Promise<void> {
  const { t } = speakerFor(tenant.language, tenant.edition);
  const templates = await em.find(EmailTemplate, {});
  const named = (name: string) => templates.find((x) => x.name === name);
  const defaults: Array<{ name: string; description: string; trigger: RuleTrigger; template?: EmailTemplate; condition: [RuleProperty, RuleOperator, ConditionValue] | null }> = [
    { name: t('ruleEngine.defaults.credentials.name'), description: t('ruleEngine.defaults.credentials.description'), trigger: 'ticket_created',
      template: named(t('defaults.credentials.name')), condition: ['title', 'equals', CREDENTIALS_TITLE] },
    { name: t('ruleEngine.defaults.ticketReceived.name'), description: t('ruleEngine.defaults.ticketReceived.description'), trigger: 'ticket_created',
      template: named(t('defaults.ticketReceived.name')), condition: ['source', 'not_equals', 'technician'] },
    { name: t('ruleEngine.defaults.technicianReply.name'), description: t('ruleEngine.defaults.technicianReply.description'), trigger: 'technician_responded',
      template: named(t('defaults.technicianReply.name')), condition: null },
  ];
  let position = 0;
  for (const d of defaults) {
    if (!d.template) continue;
    position += 1;
    const rule = em.create(TicketRule, { tenant, position, name: d.name, description: d.description, trigger: d.trigger, active: false, ignoreFlow: false });
    if (d.condition) em.create(TicketRuleCondition, { tenant, rule, position: 0, property: d.condition[0], operator: d.condition[1], value: d.condition[2] });
    em.create(TicketRuleAction, { tenant, rule, position: 0, kind: 'email_contact', template: d.template });
  }
  await em.flush();
}
