// POST /profile/sessions/others/deletion (sign out everywhere else) and
// /profile/sessions/:sessionId/deletion (one session): only the signed-in technician's
// own sessions, never the one making the request. Another's session id is a 404.
import { endOtherSessionsOf, endSessionOf } from '../../../domain/technician/sessions.js';
import { audit } from '../../../domain/audit/audit-event.js';
import { NotFoundError } from '../../../lib/validation.js';
import { technician } from '../../action.js';

export const destroyOthers = technician(async ({ em, req, tenant, technician: me, reply, t }) => {
  const ended = await endOtherSessionsOf(em, me, req.sessionID);
  audit(em, tenant, 'technician.signed_out_elsewhere', { type: 'technician', id: me.id }, { sessionsEnded: ended });
  await em.flush();
  reply.flash(t('profile.sessions.endedOthers', { count: ended }));
  reply.redirect('/profile#sessions');
});

export const destroy = technician(async ({ em, req, tenant, technician: me, reply, t }) => {
  if (!(await endSessionOf(em, me, String(req.params.sessionId), req.sessionID))) throw new NotFoundError();
  audit(em, tenant, 'technician.session_ended', { type: 'technician', id: me.id }, {});
  await em.flush();
  reply.flash(t('profile.sessions.ended'));
  reply.redirect('/profile#sessions');
});
