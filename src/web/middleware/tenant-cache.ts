// Tenants by slug, remembered for a few seconds: every request needs its tenant,
// and a tenant row changes rarely (a plan change is seen by other processes
// within TTL_MS; this process forgets at once).
import { globalEm } from '../../db/unit-of-work.js';
import { Tenant } from '../../domain/tenant/tenant.js';

const TTL_MS = 5_000;
type Row = Pick<Tenant, 'id' | 'slug' | 'name' | 'edition' | 'plan' | 'trialEndsAt' | 'trialEndNotedAt' | 'nextTicketNumber' | 'createdAt' | 'requireSecondFactor' | 'language' | 'timeZone'>;
const cache = new Map<string, { row: Row | null; at: number }>();

/** A fresh Tenant object for this request (never shared between requests), or null. */
export async function tenantBySlug(slug: string): Promise<Tenant | null> {
  const hit = cache.get(slug);
  let row = hit && Date.now() - hit.at < TTL_MS ? hit.row : undefined;
  if (row === undefined) {
    const found = await globalEm().findOne(Tenant, { slug }, { disableIdentityMap: true });
    row = found ? { ...found } : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(slug, { row, at: Date.now() });
  }
  return row ? Object.assign(new Tenant(), row) : null;
}

export function forgetTenant(slug?: string): void {
  if (slug) cache.delete(slug);
  else cache.clear();
}
