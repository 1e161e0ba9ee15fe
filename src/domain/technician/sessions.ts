// Ends every open session of a technician at once (deactivation, a reset second
// factor): their rows leave the session store, so no session left idle can come
// back later — on reactivation, say. The store's rows hold the signed-in user as
// { kind, id, tenantId } under passport.user (src/web/action.ts SessionUser).
import type { Em } from '../../db/orm.js';
import type { Technician } from './technician.js';

export async function endSessionsOf(em: Em, technician: Technician): Promise<void> {
  await em.execute(
    `delete from session where sess->'passport'->'user'->>'kind' = 'technician'
       and sess->'passport'->'user'->>'id' = ? and sess->'passport'->'user'->>'tenantId' = ?`,
    [String(technician.id), String(technician.tenant.id)]);
}
