// Credential snippets are markers in the stored email. They are minted — a new
// single-use link, or a new temporary password — only when the send job hands
// the message to SMTP; every stored copy shows them masked.
import type { Em } from '../db/orm.js';
import { Technician } from '../domain/technician/technician.js';
import { issueToken } from '../domain/technician/tokens.js';
import type { Tenant } from '../domain/tenant/tenant.js';
import { tenantUrl } from '../lib/urls.js';
import type { OutboundEmail } from './outbound-email.js';

export const MASK = '••••••••';
export const TECHNICIAN_PASSWORD_LINK = '{[Technician Password Link]}';

type Minter = (em: Em, tenant: Tenant, email: OutboundEmail) => Promise<string>;

/** Marker → how to mint its value. Contacts' portal credentials register here too. */
export const credentialMinters = new Map<string, Minter>([
  [TECHNICIAN_PASSWORD_LINK, async (em, tenant, email) => {
    const technician = await em.findOneOrFail(Technician, { id: email.credentialTarget?.technicianId ?? 0 });
    const token = issueToken(em, tenant, technician, technician.passwordHash ? 'reset' : 'invite');
    return tenantUrl(tenant.slug, `/password/${token}`);
  }],
]);

export function credentialMarkersIn(body: string): string[] {
  return [...credentialMinters.keys()].filter((marker) => body.includes(marker));
}

/** Replaces each credential marker with a freshly minted value (for the message only). */
export async function mintInto(em: Em, tenant: Tenant, email: OutboundEmail, bodies: string[]): Promise<string[]> {
  const markers = new Set(bodies.flatMap(credentialMarkersIn));
  const values = new Map<string, string>();
  for (const marker of markers) values.set(marker, await credentialMinters.get(marker)!(em, tenant, email));
  return bodies.map((body) => replaceAll(body, values));
}

/** What the mail log and any stored copy shows. */
export function masked(body: string): string {
  return replaceAll(body, new Map(credentialMarkersIn(body).map((m) => [m, MASK])));
}

function replaceAll(body: string, values: Map<string, string>): string {
  let out = body;
  for (const [marker, value] of values) out = out.split(marker).join(value);
  return out;
}
