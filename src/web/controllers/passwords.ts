// A technician sets a password from an invitation (or reset) link.
import { findLiveToken } from '../../domain/technician/tokens.js';
import { setPasswordWithToken } from '../../domain/technician/technicians.js';
import { ValidationError } from '../../lib/validation.js';
import { open } from '../action.js';

export const edit = open(async ({ em, req, reply }) => {
  const token = String(req.params.token);
  const live = (await findLiveToken(em, token, 'invite')) ?? (await findLiveToken(em, token, 'reset'));
  if (!live) return reply.render('passwords/expired', { title: 'Link expired' }, 410);
  await reply.render('passwords/edit', { title: 'Set your password', token, errors: {}, name: live.technician?.name });
});

export const update = open(async ({ em, req, reply, tenant, body }) => {
  const token = String(req.params.token);
  try {
    await setPasswordWithToken(em, tenant, token, String(body.password ?? ''), String(body.confirmation ?? ''));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    reply.rollback(); // the verb failed: nothing it wrote is kept
    if (error.errors.token) return reply.render('passwords/expired', { title: 'Link expired' }, 410);
    return reply.render('passwords/edit', { title: 'Set your password', token, errors: error.errors }, 422);
  }
  reply.flash('Your password is set. Sign in with it now.');
  reply.redirect('/login');
});
