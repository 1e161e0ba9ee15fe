// A technician's sessions, as the session store keeps them (connect-pg-simple's
// `session` table: no tenant owns it, so every query here names the tenant itself).
// The rows hold the signed-in user as { kind, id, tenantId } under passport.user
// (src/web/action.ts SessionUser); migration 0016 indexes exactly the expressions
// used below, so listing or ending one technician's sessions reads only their rows.
// A session is never named by its id (that is the cookie's secret): pages and
// forms name it by the SHA-256 of the id.
import type { Em } from '../../db/orm.js';
import type { Technician } from './technician.js';

const OF_TECHNICIAN = `sess->'passport'->'user'->>'tenantId' = ? and sess->'passport'->'user'->>'kind' = 'technician'
  and sess->'passport'->'user'->>'id' = ?`;
const PUBLIC_ID = `encode(sha256(convert_to(sid, 'UTF8')), 'hex')`;

const whose = (technician: Technician) => [String(technician.tenant.id), String(technician.id)];

/** Ends every open session of a technician at once (deactivation, a reset second factor, a password reset). */
export async function endSessionsOf(em: Em, technician: Technician): Promise<void> {
  await em.execute(`delete from session where ${OF_TECHNICIAN}`, whose(technician));
}

/** Ends every session of the technician but `keepSid` (theirs, on this request): returns how many ended. */
export async function endOtherSessionsOf(em: Em, technician: Technician, keepSid: string): Promise<number> {
  const ended = await em.execute<Array<{ sid: string }>>(`delete from session where ${OF_TECHNICIAN} and sid <> ? returning sid`, [...whose(technician), keepSid]);
  return ended.length;
}

/** Ends one other session of the technician, named by its public id; false when they have no such session (or it is `keepSid`). */
export async function endSessionOf(em: Em, technician: Technician, publicId: string, keepSid: string): Promise<boolean> {
  if (!/^[0-9a-f]{64}$/.test(publicId)) return false;
  const ended = await em.execute<Array<{ sid: string }>>(
    `delete from session where ${OF_TECHNICIAN} and sid <> ? and ${PUBLIC_ID} = ? returning sid`, [...whose(technician), keepSid, publicId]);
  return ended.length > 0;
}

export interface OpenSession {
  /** The SHA-256 of the session id: what forms name it by. */
  publicId: string;
  userAgent: string | null;
  ip: string | null;
  signedInAt: Date | null;
  /** Refreshed at most every 10 minutes (middleware/session-timeouts.ts). */
  lastActiveAt: Date | null;
  current: boolean;
}

interface SessionRow { public_id: string; sid: string; sess: { seenAt?: number; signedInAt?: number; device?: { userAgent?: string; ip?: string } } }

const dateOf = (ms: unknown) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms) : null);

/** The technician's live sessions, the most recently active first; `currentSid` is marked. */
export async function sessionsOf(em: Em, technician: Technician, currentSid: string): Promise<OpenSession[]> {
  const rows = await em.execute<SessionRow[]>(
    `select sid, sess, ${PUBLIC_ID} as public_id from session where ${OF_TECHNICIAN} and expire > now()`, whose(technician));
  return rows.map((r) => {
    const sess = typeof r.sess === 'string' ? JSON.parse(r.sess) as SessionRow['sess'] : r.sess;
    return {
      publicId: r.public_id,
      userAgent: typeof sess.device?.userAgent === 'string' ? sess.device.userAgent : null,
      ip: typeof sess.device?.ip === 'string' ? sess.device.ip : null,
      signedInAt: dateOf(sess.signedInAt),
      lastActiveAt: dateOf(sess.seenAt) ?? dateOf(sess.signedInAt),
      current: r.sid === currentSid,
    };
  }).sort((a, b) => Number(b.current) - Number(a.current) || (b.lastActiveAt?.getTime() ?? 0) - (a.lastActiveAt?.getTime() ?? 0));
}
