// Admin > Integrations > Microsoft Entra ID: a customer's connection to its Microsoft 365
// directory (an MSP has one per customer, each with its own directory; an IT department
// one, for a site). The client secret is sealed (src/secret-box.ts) with the connection's
// place as context, never shown again; saving with the field left empty keeps it — unless
// the directory or the application changes, which needs the secret again (the stored
// secret is never sent to another directory or application).
import { EntitySchema, type Opt } from '@mikro-orm/core';
import type { Em } from '../../db/orm.js';
import { tenantOwned } from '../../db/tenant-owned.js';
import { Checker, NotFoundError, text } from '../../lib/validation.js';
import { appSecretBox } from '../../secret-box.js';
import { audit } from '../audit/audit-event.js';
import { Customer } from '../customer/customer.js';
import { ContactImport } from '../contact/import.js';
import { globalEm } from '../../db/unit-of-work.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Credentials, GraphProblem } from './graph-client.js';

export class EntraConnection {
  id!: number;
  tenant!: Tenant;
  customer!: Customer;
  directoryId!: string;
  clientId!: string;
  secretSealed!: string;
  secretKeyVersion!: number;
  groupId?: string | null = null;
  onlyEnabled: Opt<boolean> = true;
  onlyWithMail: Opt<boolean> = false;
  lastTestAt?: Date | null = null;
  lastTestProblem?: GraphProblem | 'ok' | null = null;
  lastSyncAt?: Date | null = null;
  lastSyncProblem?: GraphProblem | null = null;
  /** Where the next delta query starts: the @odata.deltaLink of the last sync that completed (none before the first). */
  deltaLink?: string | null = null;
  /** Sync every day (entra_sync_schedules says when next). */
  dailySync: Opt<boolean> = false;
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export const EntraConnectionSchema = new EntitySchema<EntraConnection>(tenantOwned({
  class: EntraConnection,
  tableName: 'entra_connections',
  properties: {
    id: { type: 'number', primary: true },
    customer: { kind: 'm:1', entity: 'Customer' },
    directoryId: { type: 'string' },
    clientId: { type: 'string' },
    secretSealed: { type: 'text', lazy: true },
    secretKeyVersion: { type: 'number' },
    groupId: { type: 'string', nullable: true },
    onlyEnabled: { type: 'boolean' },
    onlyWithMail: { type: 'boolean' },
    lastTestAt: { type: 'Date', nullable: true },
    lastTestProblem: { type: 'string', nullable: true },
    lastSyncAt: { type: 'Date', nullable: true },
    lastSyncProblem: { type: 'string', nullable: true },
    deltaLink: { type: 'text', nullable: true, lazy: true },
    dailySync: { type: 'boolean' },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
}));

/** A directory or application ID: a GUID (a directory may also be named by its domain, e.g. contoso.onmicrosoft.com). */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const SECRET_MAX = 500;

export interface ConnectionInput { customerId?: unknown; directoryId?: unknown; clientId?: unknown; secret?: unknown; groupId?: unknown; onlyEnabled?: unknown; onlyWithMail?: unknown; dailySync?: unknown }

const sealContext = (tenantId: number, customerId: number) => `entra_connections:${tenantId}:${customerId}:secret`;

function clean(input: ConnectionInput) {
  const check = new Checker();
  const directoryId = text(input.directoryId).toLowerCase();
  const clientId = text(input.clientId).toLowerCase();
  const groupId = text(input.groupId).toLowerCase();
  const secret = typeof input.secret === 'string' ? input.secret.trim() : '';
  check.require('directoryId', directoryId, 'entra.form.directoryId', 100);
  if (directoryId && !check.errors.directoryId && !GUID.test(directoryId) && !DOMAIN.test(directoryId)) check.add('directoryId', 'entra.errors.directoryIdInvalid');
  check.require('clientId', clientId, 'entra.form.clientId', 100);
  if (clientId && !check.errors.clientId && !GUID.test(clientId)) check.add('clientId', 'entra.errors.clientIdInvalid');
  if (groupId && !GUID.test(groupId)) check.add('groupId', 'entra.errors.groupIdInvalid');
  if (secret.length > SECRET_MAX) check.add('secret', { key: 'validation.tooLong', params: { label: { key: 'entra.form.secret' }, max: SECRET_MAX } });
  const flag = (v: unknown) => v === 'on' || v === 'true' || v === true;
  return { check, secret, values: { directoryId, clientId, groupId: groupId || null, onlyEnabled: flag(input.onlyEnabled), onlyWithMail: flag(input.onlyWithMail), dailySync: flag(input.dailySync) } };
}

function seal(connection: EntraConnection, secret: string): void {
  const sealed = appSecretBox().seal(secret, sealContext(connection.tenant.id, connection.customer.id));
  connection.secretSealed = sealed.ciphertext;
  connection.secretKeyVersion = sealed.version;
}

/** The directory, application and secret, for the token request only. */
export async function credentialsOf(em: Em, connection: EntraConnection): Promise<Credentials> {
  await em.populate(connection, ['secretSealed']);
  const secret = appSecretBox().open({ version: connection.secretKeyVersion, ciphertext: connection.secretSealed }, sealContext(connection.tenant.id, connection.customer.id));
  return { directoryId: connection.directoryId, clientId: connection.clientId, secret };
}

export async function connectionById(em: Em, id: number): Promise<EntraConnection> {
  const found = await em.findOne(EntraConnection, { id }, { populate: ['customer'] });
  if (!found) throw new NotFoundError();
  return found;
}

export async function connections(em: Em): Promise<EntraConnection[]> {
  return em.find(EntraConnection, {}, { populate: ['customer'], orderBy: { customer: { name: 'asc' }, id: 'asc' } });
}

/** Customers without a connection yet: the ones a new connection may be for. */
export async function customersWithoutConnection(em: Em): Promise<Customer[]> {
  const taken = (await em.find(EntraConnection, {}, { fields: ['customer'] })).map((c) => c.customer.id);
  return em.find(Customer, taken.length ? { id: { $nin: taken } } : {}, { orderBy: { name: 'asc', id: 'asc' } });
}

export async function createConnection(em: Em, tenant: Tenant, input: ConnectionInput): Promise<EntraConnection> {
  const { check, values, secret } = clean(input);
  const customerId = Number(input.customerId);
  const customer = Number.isSafeInteger(customerId) && customerId > 0 ? await em.findOne(Customer, { id: customerId }) : null;
  if (!customer) check.add('customerId', 'entra.errors.customerRequired');
  else if (await em.count(EntraConnection, { customer })) check.add('customerId', 'entra.errors.customerTaken');
  if (!secret) check.add('secret', { key: 'validation.required', params: { label: { key: 'entra.form.secret' } } });
  check.throwIfAny();
  const connection = em.create(EntraConnection, { tenant, customer: customer!, ...values, secretSealed: '', secretKeyVersion: 0 });
  seal(connection, secret);
  await em.flush();
  await schedule(em, connection);
  audit(em, tenant, 'entra_connection.created', { type: 'entra_connection', id: connection.id }, { customer: { id: customer!.id, name: customer!.name }, directoryId: values.directoryId, clientId: values.clientId });
  return connection;
}

export async function updateConnection(em: Em, tenant: Tenant, connection: EntraConnection, input: ConnectionInput): Promise<EntraConnection> {
  const { check, values, secret } = clean(input);
  const elsewhere = values.directoryId !== connection.directoryId || values.clientId !== connection.clientId;
  if (elsewhere && !secret) check.add('secret', 'entra.errors.secretAgain');
  // Another directory, group or filter: the delta link and the users known say nothing about it — the next sync reads everyone.
  const rescoped = elsewhere || values.groupId !== (connection.groupId ?? null) || values.onlyEnabled !== connection.onlyEnabled || values.onlyWithMail !== connection.onlyWithMail;
  // Not while a sync reads or imports under the old scope: its end would bring back the delta link of what it read.
  const underWay = rescoped ? await syncUnderWay(em, connection) : null;
  if (underWay && underWay.status !== 'mapping') check.add('sync', 'entra.errors.syncRunning');
  check.throwIfAny();
  Object.assign(connection, values, { updatedAt: new Date() });
  if (rescoped) {
    await em.execute('update entra_connections set delta_link = null where tenant_id = ? and id = ?', [connection.tenant.id, connection.id]);
    // A preview read under the old scope is overtaken, as a new Sync now overtakes it.
    await em.execute(`update imports set status = 'cancelled', content = null, finished_at = now() where tenant_id = ? and connection_id = ? and status = 'mapping'`,
      [connection.tenant.id, connection.id]);
  }
  if (elsewhere) await em.execute('delete from entra_users where tenant_id = ? and connection_id = ?', [connection.tenant.id, connection.id]);
  if (secret) {
    seal(connection, secret);
    // New credentials: the last test said nothing about them.
    Object.assign(connection, { lastTestAt: null, lastTestProblem: null });
  }
  await em.flush();
  await schedule(em, connection);
  audit(em, tenant, 'entra_connection.updated', { type: 'entra_connection', id: connection.id }, { directoryId: values.directoryId, clientId: values.clientId, secretChanged: Boolean(secret), dailySync: values.dailySync });
  return connection;
}

/**
 * The daily sync's schedule row, written with the connection: a day from when it is turned
 * on (a schedule already there keeps its time), and none when it is off.
 */
async function schedule(em: Em, connection: EntraConnection): Promise<void> {
  if (connection.dailySync) {
    await em.execute(`insert into entra_sync_schedules (tenant_id, connection_id, next_sync_at) values (?, ?, now() + interval '1 day') on conflict (tenant_id, connection_id) do nothing`,
      [connection.tenant.id, connection.id]);
  } else await em.execute('delete from entra_sync_schedules where tenant_id = ? and connection_id = ?', [connection.tenant.id, connection.id]);
}

/** When the daily sync runs next, and how its last run went (the connection's page shows them). */
export async function dailySyncState(em: Em, connection: EntraConnection): Promise<{ next: Date | null; last: ContactImport | null }> {
  const [row] = await em.execute<{ next_sync_at: Date }[]>('select next_sync_at from entra_sync_schedules where tenant_id = ? and connection_id = ?', [connection.tenant.id, connection.id]);
  const last = await em.findOne(ContactImport, { connectionId: connection.id, scheduled: true }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  return { next: row ? new Date(row.next_sync_at) : null, last };
}

/** A sync of the connection being read, waiting for its preview, or importing (its page is where to go on). */
export async function syncUnderWay(em: Em, connection: EntraConnection): Promise<ContactImport | null> {
  return em.findOne(ContactImport, { connectionId: connection.id, status: { $in: ['reading', 'mapping', 'queued', 'running'] } }, { orderBy: { id: 'desc' } });
}

/** The connections whose daily sync is due, across workspaces (ids only, no RLS), each moved on a day from when it was due (the hour does not creep by the job's 15 minutes), as it is taken. */
export async function dueDailySyncs(limit = 200): Promise<Array<{ tenantId: number; connectionId: number }>> {
  const rows = await globalEm().getConnection().execute<Array<{ tenant_id: number; connection_id: number }>>(
    `update entra_sync_schedules s set next_sync_at = case when s.next_sync_at + interval '1 day' > now() then s.next_sync_at + interval '1 day' else now() + interval '1 day' end
       from (select tenant_id, connection_id from entra_sync_schedules where next_sync_at <= now() order by next_sync_at limit ? for update skip locked) due
      where s.tenant_id = due.tenant_id and s.connection_id = due.connection_id
      returning s.tenant_id, s.connection_id`, [limit]);
  return rows.map((r) => ({ tenantId: r.tenant_id, connectionId: r.connection_id }));
}

export async function deleteConnection(em: Em, tenant: Tenant, connection: EntraConnection): Promise<void> {
  audit(em, tenant, 'entra_connection.deleted', { type: 'entra_connection', id: connection.id }, { customer: { id: connection.customer.id, name: connection.customer.name } });
  em.remove(connection);
  await em.flush();
}
