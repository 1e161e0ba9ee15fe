import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';

/** What became of a message taken from a mailbox: the ingest log's outcomes. */
export const OUTCOMES = [
  'ticket_created', 'message_added',
  'ignored_loop', 'ignored_bounce', 'ignored_auto_reply', 'ignored_automated', 'ignored_flood', 'ignored_duplicate',
  'rejected_unknown_sender', 'rejected_blocked_contact', 'rejected_too_large',
  'retrying', 'failed', 'dismissed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Each outcome in words, as a catalogue key (src/i18n/messages/<language>/incomingMail.ts). */
export const OUTCOME_WORDS: Record<Outcome, string> = {
  ticket_created: 'incomingMail.outcomes.ticketCreated',
  message_added: 'incomingMail.outcomes.messageAdded',
  ignored_loop: 'incomingMail.outcomes.ignoredLoop',
  ignored_bounce: 'incomingMail.outcomes.ignoredBounce',
  ignored_auto_reply: 'incomingMail.outcomes.ignoredAutoReply',
  ignored_automated: 'incomingMail.outcomes.ignoredAutomated',
  ignored_flood: 'incomingMail.outcomes.ignoredFlood',
  ignored_duplicate: 'incomingMail.outcomes.ignoredDuplicate',
  rejected_unknown_sender: 'incomingMail.outcomes.rejectedUnknownSender',
  rejected_blocked_contact: 'incomingMail.outcomes.rejectedBlockedContact',
  rejected_too_large: 'incomingMail.outcomes.rejectedTooLarge',
  retrying: 'incomingMail.outcomes.retrying',
  failed: 'incomingMail.outcomes.failed',
  dismissed: 'incomingMail.outcomes.dismissed',
};

/**
 * The `reason` codes the pipeline, its filters (src/inbound/filters/) and the review
 * record, each as the catalogue key of its sentence. A code missing here shows no sentence.
 */
export const REASON_WORDS: Readonly<Record<string, string>> = {
  email: 'incomingMail.reasons.email',
  email_new_contact: 'incomingMail.reasons.emailNewContact',
  automated: 'incomingMail.reasons.automated',
  automated_new_contact: 'incomingMail.reasons.automatedNewContact',
  auto_reply: 'incomingMail.reasons.autoReply',
  bounce: 'incomingMail.reasons.bounce',
  already_ingested: 'incomingMail.reasons.alreadyIngested',
  auto_create_off: 'incomingMail.reasons.autoCreateOff',
  no_sender: 'incomingMail.reasons.noSender',
  new_contact_limit: 'incomingMail.reasons.newContactLimit',
  fetch_failed: 'incomingMail.reasons.fetchFailed',
  invalid_address: 'incomingMail.reasons.invalidAddress',
  no_auto_tickets: 'incomingMail.reasons.noAutoTickets',
  flood: 'incomingMail.reasons.flood',
  too_large: 'incomingMail.reasons.tooLarge',
  error: 'incomingMail.reasons.error',
  'own-address': 'incomingMail.reasons.ownAddress',
  'own-message-id': 'incomingMail.reasons.ownMessageId',
  'auto-submitted': 'incomingMail.reasons.autoSubmitted',
  'x-autoreply': 'incomingMail.reasons.xAutoreply',
  'x-autorespond': 'incomingMail.reasons.xAutorespond',
  'x-autoresponder': 'incomingMail.reasons.xAutoresponder',
  subject: 'incomingMail.reasons.subject',
  precedence: 'incomingMail.reasons.precedence',
  'list-unsubscribe': 'incomingMail.reasons.listUnsubscribe',
  'list-id': 'incomingMail.reasons.listId',
  'x-auto-response-suppress': 'incomingMail.reasons.xAutoResponseSuppress',
  admitted: 'incomingMail.reasons.admitted',
  admitted_new_contact: 'incomingMail.reasons.admittedNewContact',
};

/** A row of the ingest log (one per message and mailbox). `reason` is a key with no sentence in it. */
export class InboundMessage {
  id!: number;
  tenant!: Tenant;
  mailboxId?: number | null = null;
  messageKey!: string;
  uidValidity?: string | null = null;
  uid?: string | null = null;
  fromAddress?: string | null = null;
  fromName?: string | null = null;
  subject: Opt<string> = '';
  size: Opt<number> = 0;
  outcome!: Outcome;
  reason: Opt<string> = '';
  ticketId?: number | null = null;
  contactId?: number | null = null;
  attempts: Opt<number> = 0;
  lastError?: string | null = null;
  raw?: Buffer | null = null;
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export const InboundMessageSchema = new EntitySchema<InboundMessage>(tenantOwned({
  class: InboundMessage,
  tableName: 'inbound_messages',
  properties: {
    id: { type: 'number', primary: true },
    mailboxId: { type: 'number', nullable: true },
    messageKey: { type: 'string' },
    uidValidity: { type: 'string', columnType: 'bigint', nullable: true },
    uid: { type: 'string', columnType: 'bigint', nullable: true },
    fromAddress: { type: 'string', nullable: true },
    fromName: { type: 'string', nullable: true },
    subject: { type: 'string' },
    size: { type: 'number' },
    outcome: { type: 'string' },
    reason: { type: 'string' },
    ticketId: { type: 'number', nullable: true },
    contactId: { type: 'number', nullable: true },
    attempts: { type: 'number' },
    lastError: { type: 'text', nullable: true },
    raw: { type: 'blob', lazy: true, nullable: true },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
}));
