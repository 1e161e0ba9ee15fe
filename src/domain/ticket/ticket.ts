import { Collection, EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Contact } from '../contact/contact.js';
import type { Customer } from '../customer/customer.js';
import type { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';

export const STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export const TYPES = ['question', 'incident', 'problem', 'request'] as const;
export type TicketStatus = (typeof STATUSES)[number];
export type TicketPriority = (typeof PRIORITIES)[number];
export type TicketType = (typeof TYPES)[number];
export type TicketSource = 'portal' | 'email' | 'technician';

export class Ticket {
  id!: number;
  tenant!: Tenant;
  /** Per tenant, from #1001, without gaps (counted under the tenant row's lock). */
  number!: number;
  title!: string;
  description: Opt<string> = '';
  status: Opt<TicketStatus> = 'open';
  priority: Opt<TicketPriority> = 'medium';
  type: Opt<TicketType> = 'question';
  source: Opt<TicketSource> = 'technician';
  customer!: Customer;
  contact!: Contact;
  assignee?: Technician | null = null;
  /** The technician who opened it on the contact's behalf: the opening message is theirs. */
  openedBy?: Technician | null = null;
  /** The support address (mailbox) an email ticket came to. */
  supportAddress?: string | null = null;
  /** The Message-ID of the email the ticket was opened from. */
  emailMessageId?: string | null = null;
  /** That email's HTML, sanitised (src/inbound/html.ts), shown on request beside the text. */
  descriptionHtml?: string | null = null;
  /** Opened by automatic mail (an alert, a notification): nothing automatic may answer it. */
  automatic: Opt<boolean> = false;
  messages = new Collection<TicketMessage>(this);
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export type MessageAuthor = 'contact' | 'technician' | 'system';

export class TicketMessage {
  id!: number;
  tenant!: Tenant;
  ticket!: Ticket;
  authorKind!: MessageAuthor;
  authorContact?: Contact | null = null;
  authorTechnician?: Technician | null = null;
  body!: string;
  internal: Opt<boolean> = false;
  emailMessageId?: string | null = null;
  /** An emailed message's HTML, sanitised, shown on request beside the text. */
  bodyHtml?: string | null = null;
  /** The quoted history stripped from a message that came by email (shown on request). */
  quotedText?: string | null = null;
  /** Came from automatic mail (an auto-reply, an alert): nothing automatic answers it. */
  automatic: Opt<boolean> = false;
  createdAt: Opt<Date> = new Date();
}

/** The ticket's history: every change, by whom, from what to what. */
export class TicketEvent {
  id!: number;
  tenant!: Tenant;
  ticket!: Ticket;
  actorKind!: string;
  actorName: Opt<string> = '';
  field!: string;
  fromValue?: string | null = null;
  toValue?: string | null = null;
  createdAt: Opt<Date> = new Date();
}

export class Attachment {
  id!: number;
  tenant!: Tenant;
  ticket!: Ticket;
  message?: TicketMessage | null = null;
  fileName!: string;
  contentType!: string;
  size!: number;
  data!: Buffer;
  createdAt: Opt<Date> = new Date();
}

export const TicketSchema = new EntitySchema<Ticket>(tenantOwned({
  class: Ticket,
  tableName: 'tickets',
  properties: {
    id: { type: 'number', primary: true },
    number: { type: 'number' },
    title: { type: 'string' },
    description: { type: 'text' },
    status: { type: 'string' },
    priority: { type: 'string' },
    type: { type: 'string' },
    source: { type: 'string' },
    customer: { kind: 'm:1', entity: 'Customer' },
    contact: { kind: 'm:1', entity: 'Contact' },
    assignee: { kind: 'm:1', entity: 'Technician', nullable: true },
    openedBy: { kind: 'm:1', entity: 'Technician', nullable: true },
    supportAddress: { type: 'string', nullable: true },
    emailMessageId: { type: 'string', nullable: true },
    descriptionHtml: { type: 'text', nullable: true },
    automatic: { type: 'boolean' },
    messages: { kind: '1:m', entity: 'TicketMessage', mappedBy: 'ticket', orderBy: { id: 'asc' } },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
}));

export const TicketMessageSchema = new EntitySchema<TicketMessage>(tenantOwned({
  class: TicketMessage,
  tableName: 'ticket_messages',
  properties: {
    id: { type: 'number', primary: true },
    ticket: { kind: 'm:1', entity: 'Ticket' },
    authorKind: { type: 'string' },
    authorContact: { kind: 'm:1', entity: 'Contact', nullable: true },
    authorTechnician: { kind: 'm:1', entity: 'Technician', nullable: true },
    body: { type: 'text' },
    internal: { type: 'boolean' },
    emailMessageId: { type: 'string', nullable: true },
    quotedText: { type: 'text', nullable: true, lazy: true },
    bodyHtml: { type: 'text', nullable: true },
    automatic: { type: 'boolean' },
    createdAt: { type: 'Date' },
  },
}));

export const TicketEventSchema = new EntitySchema<TicketEvent>(tenantOwned({
  class: TicketEvent,
  tableName: 'ticket_events',
  properties: {
    id: { type: 'number', primary: true },
    ticket: { kind: 'm:1', entity: 'Ticket' },
    actorKind: { type: 'string' },
    actorName: { type: 'string' },
    field: { type: 'string' },
    fromValue: { type: 'string', nullable: true },
    toValue: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
  },
}));

export const AttachmentSchema = new EntitySchema<Attachment>(tenantOwned({
  class: Attachment,
  tableName: 'attachments',
  properties: {
    id: { type: 'number', primary: true },
    ticket: { kind: 'm:1', entity: 'Ticket' },
    message: { kind: 'm:1', entity: 'TicketMessage', nullable: true },
    fileName: { type: 'string' },
    contentType: { type: 'string' },
    size: { type: 'number' },
    data: { type: 'blob', lazy: true },
    createdAt: { type: 'Date' },
  },
}));
