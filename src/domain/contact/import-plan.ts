// What an import does with each clean row — create, update, skip or fail — decided
// for a whole batch of rows at once from two queries (the contacts already there, the
// customers named), so that the preview and the job decide alike and neither asks the
// database once per row. A row without a customer is placed by customerForNewContact,
// the one rule every way of creating a contact follows (asked once per domain).
import type { Em } from '../../db/orm.js';
import type { Sql } from '../../db/sql.js';
import { msg, type Message } from '../../i18n/translate.js';
import { createCustomer } from '../customer/customers.js';
import { customerForNewContact } from '../customer/domains.js';
import type { Tenant } from '../tenant/tenant.js';
import type { CleanRow, RowResult } from './import-rows.js';

/** What the decisions read through: a unit of work (a request's, a job batch's). */
export interface Work { readonly sql: Sql; readonly em: Em; readonly tenantId: number }

export interface ImportOptions {
  createCustomers: boolean;
  existing: 'skip' | 'update';
  /** Every row goes to this customer (a directory's users, to the customer its connection belongs to); a contact of another customer is left where it is. */
  customer?: CustomerRef;
}

export interface CustomerRef { id: number; name: string }

export interface ExistingContact {
  id: number; email: string; first_name: string; last_name: string; phone: string;
  customer_id: number; customer_name: string; is_main: boolean; portal_access: boolean;
}

/** What becomes of a row. A customer of `null` id is one the import will create (preview only). */
export type Decision =
  | { kind: 'create'; row: CleanRow; customer: CustomerRef; placedByDomain?: string; newCustomer?: boolean; values: ContactValues }
  | { kind: 'update'; row: CleanRow; contact: ExistingContact; customer: CustomerRef; newCustomer?: boolean; values: ContactValues; changes: Record<string, { from: unknown; to: unknown }> }
  | { kind: 'skip'; row: CleanRow; reason: Message }
  | { kind: 'fail'; line: number; email: string; reason: Message };

export interface ContactValues { firstName: string; lastName: string; phone: string; isMain: boolean; portalAccess: boolean }

const UNKNOWN: CustomerRef = { id: 0, name: '' };

/** The lookups of one import, kept between its batches (customers and placements do not change under it). */
export class ImportLookups {
  readonly #customers = new Map<string, CustomerRef | null>();
  readonly #placements = new Map<string, { customer: CustomerRef; domain?: string }>();

  constructor(private readonly tenant: Tenant) {}

  /** Customers by name, case-insensitively (the oldest of two with one name). */
  async loadCustomers(work: Work, names: string[]): Promise<void> {
    const wanted = [...new Set(names.map((n) => n.toLowerCase()))].filter((n) => !this.#customers.has(n));
    if (wanted.length === 0) return;
    const rows = await work.sql.query<CustomerRef & { key: string }>(
      `select distinct on (lower(name)) lower(name) as key, id, name from customers where tenant_id = $1 and lower(name) = any($2::text[]) order by lower(name), id`,
      [work.tenantId, wanted]);
    for (const name of wanted) this.#customers.set(name, null);
    for (const row of rows) this.#customers.set(row.key, { id: row.id, name: row.name });
  }

  customerNamed(name: string): CustomerRef | null | undefined {
    return this.#customers.get(name.toLowerCase());
  }

  /** Creates the customer the file names (the customers' own verb, audited) and remembers it. */
  async createCustomer(work: Work, name: string): Promise<CustomerRef> {
    const customer = await createCustomer(work.em, this.tenant, { name });
    const ref = { id: customer.id, name: customer.name };
    this.#customers.set(name.toLowerCase(), ref);
    return ref;
  }

  /** Where a new contact with this address goes when its row names no customer. */
  async placement(work: Work, email: string): Promise<{ customer: CustomerRef; domain?: string }> {
    const domain = email.slice(email.lastIndexOf('@') + 1);
    let placed = this.#placements.get(domain);
    if (!placed) {
      const found = await customerForNewContact(work.em, this.tenant, email);
      placed = { customer: { id: found.customer.id, name: found.customer.name }, ...(found.domain ? { domain: found.domain } : {}) };
      this.#placements.set(domain, placed);
    }
    return placed;
  }
}

/**
 * The contacts already there with these emails, planned afresh for each batch: during an
 * import the table grows from nothing, and a prepared statement (`sql`, planned once per
 * connection) kept the plan made for an empty table — a scan of every contact for every
 * batch, 20 times slower at 50,000 rows (bench/import). `em.execute` sends it unnamed.
 * One scan for the whole batch, `email = any(…)`, whichever index the planner takes: in
 * the (tenant, email) index, a probe an address; by tenant alone (what it takes while the
 * table is new and never analysed), the workspace's contacts once, each checked against
 * the batch's addresses hashed — 2–8 ms a batch up to 50,000 contacts. Analysed, it
 * weighs the probes against that one scan and takes the cheaper (at 50,000 contacts of
 * one workspace, the scan: ~7–20 ms a batch, loaded machine), so no plan costs more than
 * one pass over the contacts. Looked up one address at a time (a lateral
 * `limit 1`), the probes took ~2 ms when the planner chose them, but while the table was
 * new it chose to walk the workspace's contacts once for every address: 270–300 ms for
 * each of the second and third batches (bench/import, EXPLAIN ANALYZE in its database).
 * Its customer's name by its key.
 */
export async function existingContacts(work: Work, emails: string[]): Promise<Map<string, ExistingContact>> {
  if (emails.length === 0) return new Map();
  const rows = await work.em.execute<ExistingContact[]>(
    `select c.id, c.email, c.first_name, c.last_name, c.phone, c.customer_id, c.is_main, c.portal_access,
            (select cu.name from customers cu where cu.tenant_id = c.tenant_id and cu.id = c.customer_id) as customer_name
       from contacts c where c.tenant_id = ? and c.email = any(array[?]::text[])`, [work.tenantId, emails]);
  return new Map(rows.map((r) => [r.email, r]));
}

const FIELD_COLUMNS = { firstName: 'first_name', lastName: 'last_name', phone: 'phone', isMain: 'is_main', portalAccess: 'portal_access' } as const;

/**
 * The decisions for `results`, in order. With `write`, a customer the file names that
 * does not exist is created (when the options say so); without (the preview), it is
 * only marked as one that would be.
 */
export async function decide(work: Work, lookups: ImportLookups, results: RowResult[], options: ImportOptions, write: boolean): Promise<Decision[]> {
  const clean = results.filter((r): r is Extract<RowResult, { ok: true }> => r.ok).map((r) => r.row);
  const existing = await existingContacts(work, clean.map((r) => r.email));
  await lookups.loadCustomers(work, clean.flatMap((r) => (r.customer ? [r.customer] : [])));
  const decisions: Decision[] = [];
  for (const result of results) {
    if (!result.ok) {
      decisions.push({ kind: 'fail', line: result.line, email: result.email, reason: result.reason });
      continue;
    }
    const row = result.row;
    const contact = existing.get(row.email);
    if (contact && options.existing === 'skip') {
      // A directory's user disabled or deleted loses portal access even when existing contacts are skipped.
      if (options.customer && contact.customer_id === options.customer.id && row.portalAccess === false && contact.portal_access) {
        const values: ContactValues = { firstName: contact.first_name, lastName: contact.last_name, phone: contact.phone, isMain: contact.is_main, portalAccess: false };
        decisions.push({ kind: 'update', row, contact, customer: options.customer, values, changes: { portalAccess: { from: true, to: false } } });
      } else decisions.push({ kind: 'skip', row, reason: 'imports.reasons.exists' });
      continue;
    }
    let named: CustomerRef | undefined;
    let newCustomer = false;
    if (options.customer) {
      if (contact && contact.customer_id !== options.customer.id) {
        decisions.push({ kind: 'skip', row, reason: msg('entra.reasons.otherCustomer', { name: contact.customer_name }) });
        continue;
      }
      named = options.customer;
    } else if (row.customer) {
      const found = lookups.customerNamed(row.customer);
      if (found) named = found;
      else if (!options.createCustomers) {
        decisions.push({ kind: 'fail', line: row.line, email: row.email, reason: msg('imports.reasons.unknownCustomer', { name: row.customer }) });
        continue;
      } else if (write) named = await lookups.createCustomer(work, row.customer);
      else {
        named = { ...UNKNOWN, name: row.customer };
        newCustomer = true;
      }
    }
    if (contact) {
      const values: ContactValues = {
        firstName: row.firstName ?? contact.first_name, lastName: row.lastName ?? contact.last_name, phone: row.phone ?? contact.phone,
        isMain: row.isMain ?? contact.is_main, portalAccess: row.portalAccess ?? contact.portal_access,
      };
      const customer = named ?? { id: contact.customer_id, name: contact.customer_name };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [field, column] of Object.entries(FIELD_COLUMNS) as [keyof ContactValues, keyof ExistingContact][]) {
        if (values[field] !== contact[column]) changes[field] = { from: contact[column], to: values[field] };
      }
      if (newCustomer || customer.id !== contact.customer_id) changes.customer = { from: contact.customer_name, to: customer.name };
      if (Object.keys(changes).length === 0) decisions.push({ kind: 'skip', row, reason: 'imports.reasons.unchanged' });
      else decisions.push({ kind: 'update', row, contact, customer, values, changes, ...(newCustomer ? { newCustomer } : {}) });
      continue;
    }
    const values: ContactValues = {
      firstName: row.firstName ?? '', lastName: row.lastName ?? '', phone: row.phone ?? '',
      isMain: row.isMain ?? false, portalAccess: row.portalAccess ?? true,
    };
    if (named) decisions.push({ kind: 'create', row, customer: named, values, ...(newCustomer ? { newCustomer } : {}) });
    else {
      const placed = await lookups.placement(work, row.email);
      decisions.push({ kind: 'create', row, customer: placed.customer, values, ...(placed.domain ? { placedByDomain: placed.domain } : {}) });
    }
  }
  return decisions;
}
