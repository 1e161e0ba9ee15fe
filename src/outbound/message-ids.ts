// Our outgoing Message-IDs name the tenant and the ticket, with an HMAC over them
// (key derived from APP_SECRET): a reply's In-Reply-To/References lead back to its
// ticket without trusting the sender, and a forged one is recognised as forged.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appKey } from '../lib/app-keys.js';
import { config } from '../config.js';

function mac(tenantId: number, ticketId: number, emailId: number): string {
  return createHmac('sha256', appKey('message-id v1')).update(`${tenantId}.${ticketId}.${emailId}`).digest('base64url').slice(0, 16).replace(/[-_]/g, 'x');
}

export function messageIdFor(tenantId: number, ticketId: number | null, emailId: number): string {
  const t = ticketId ?? 0;
  return `<s.${tenantId}.${t}.${emailId}.${mac(tenantId, t, emailId)}@${config().mailFrom.split('@')[1]}>`;
}

export type ReadMessageId =
  | { kind: 'ours'; tenantId: number; ticketId: number | null }
  | { kind: 'forged' }
  | { kind: 'foreign' };

const SHAPE = /^<?s\.(\d{1,10})\.(\d{1,10})\.(\d{1,10})\.([A-Za-z0-9]{16})@[^>\s]+>?$/;

export function readMessageId(id: string | null | undefined): ReadMessageId {
  const m = SHAPE.exec((id ?? '').trim());
  if (!m) return { kind: 'foreign' };
  const [tenantId, ticketId, emailId] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(mac(tenantId, ticketId, emailId));
  const given = Buffer.from(m[4]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { kind: 'forged' };
  return { kind: 'ours', tenantId, ticketId: ticketId || null };
}
