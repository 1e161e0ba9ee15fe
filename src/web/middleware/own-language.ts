// A page answered before a guard knows who asks — a refused form (CSRF), an unknown
// address, an upload refused on its size — still speaks a signed-in technician's or
// contact's own language: their row is read for it (only on these answers, never on
// the way to a page, where the guard reads it anyway).
import type { Request, Response } from 'express';
import { inTenantWork } from '../../db/unit-of-work.js';
import type { Speaker } from '../../i18n/translate.js';
import { log } from '../../lib/logger.js';
import type { SessionUser } from '../action.js';
import { ensureSpoken, speakAs } from './language.js';

export async function speakToSignedIn(req: Request, res: Response): Promise<Speaker> {
  const user = req.user as SessionUser | undefined;
  if (req.spokenToOwn || !user || !req.tenant || user.tenantId !== req.tenant.id) return ensureSpoken(req, res);
  try {
    const table = user.kind === 'technician' ? 'technicians' : 'contacts';
    const row = await inTenantWork(user.tenantId, (work) => work.sql.one<{ language: string | null }>(`select language from ${table} where id = $1 and tenant_id = $2`, [user.id, user.tenantId]));
    return speakAs(req, res, row?.language);
  } catch (error) {
    // The page still answers, in the workspace's language.
    log.warn({ err: error }, 'the signed-in reader\'s language could not be read');
    return ensureSpoken(req, res);
  }
}
