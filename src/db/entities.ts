// Every entity schema the ORM knows. A new aggregate adds its schema here.
import { ContactSchema } from '../domain/contact/contact.js';
import { ContactImportSchema } from '../domain/contact/import.js';
import { CustomerSchema } from '../domain/customer/customer.js';
import { CustomerDomainSchema } from '../domain/customer/customer-domain.js';
import { PublicMailDomainSchema } from '../domain/customer/public-mail-domain.js';
import { AttachmentSchema, TicketEventSchema, TicketMessageSchema, TicketSchema } from '../domain/ticket/ticket.js';
import { AuditEventSchema } from '../domain/audit/audit-event.js';
import { PasswordTokenSchema } from '../domain/technician/password-token.js';
import { TechnicianSchema } from '../domain/technician/technician.js';
import { RecoveryCodeSchema, SecondFactorSchema } from '../domain/technician/second-factor.js';
import { TenantSchema } from '../domain/tenant/tenant.js';
import { EmailSettingsSchema } from '../domain/email/email-settings.js';
import { EmailTemplateSchema } from '../domain/email/email-template.js';
import { QuickReplySchema } from '../domain/email/quick-reply.js';
import { OutboundEmailSchema } from '../outbound/outbound-email.js';
import { MailboxSchema } from '../domain/mailbox/mailbox.js';
import { EntraConnectionSchema } from '../domain/integration/entra-connection.js';
import { InboundMessageSchema } from '../domain/mailbox/inbound-message.js';
import { KbArticleSchema, KbCategorySchema } from '../domain/kb/article.js';
import { TicketRuleActionSchema, TicketRuleConditionSchema, TicketRuleRunSchema, TicketRuleSchema } from '../domain/rule/rule.js';

export const entities = [
  TenantSchema,
  TechnicianSchema,
  PasswordTokenSchema,
  AuditEventSchema,
  OutboundEmailSchema,
  CustomerSchema,
  CustomerDomainSchema,
  ContactSchema,
  TicketSchema,
  TicketMessageSchema,
  TicketEventSchema,
  AttachmentSchema,
  EmailTemplateSchema,
  QuickReplySchema,
  EmailSettingsSchema,
  MailboxSchema,
  EntraConnectionSchema,
  InboundMessageSchema,
  SecondFactorSchema,
  RecoveryCodeSchema,
  PublicMailDomainSchema,
  TicketRuleSchema,
  TicketRuleConditionSchema,
  TicketRuleActionSchema,
  TicketRuleRunSchema,
  KbCategorySchema,
  KbArticleSchema,
  ContactImportSchema,
];
