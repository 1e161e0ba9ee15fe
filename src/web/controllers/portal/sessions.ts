// Contacts sign in to the portal with their email and password.
import { portalOpen, sessionUser } from '../../action.js';
import { safeNext, signInHandler, signOutHandler } from '../../sign-in.js';

export const newSession = portalOpen(async ({ req, reply, t }) => {
  if (sessionUser(req, 'contact')) return reply.redirect('/portal/tickets');
  await reply.render('portal/sessions/new', { title: t('portal.sessions.new.title'), email: '', next: safeNext(req.query.next, '/portal/tickets'), error: undefined });
});

export const createSession = signInHandler('contact', { layout: 'layouts/portal', view: 'portal/sessions/new', home: '/portal/tickets' });

export const destroySession = signOutHandler('/portal/login');
