// The signed-in technician's own profile: who they are, the language they read, how they sign in.
import { RecoveryCode } from '../../domain/technician/second-factor.js';
import { chooseLanguage } from '../../domain/technician/profile.js';
import { secondFactorOf } from '../../domain/technician/two-factor.js';
import { technician } from '../action.js';
import { speakAs } from '../middleware/language.js';

export const show = technician(async ({ em, technician: me, reply, t }) => {
  const factor = await secondFactorOf(em, me);
  const enrolledAt = factor?.confirmedAt ?? null;
  const recoveryCodesLeft = enrolledAt ? await em.count(RecoveryCode, { technician: me, usedAt: null }) : 0;
  await reply.render('profile/show', { title: t('profile.show.title'), me, enrolledAt, recoveryCodesLeft, language: me.language ?? '', errors: {} });
});

/** POST /profile/language: their own language, or (an empty or unknown value) the workspace's. */
export const updateLanguage = technician(async ({ em, req, res, tenant, technician: me, reply }) => {
  const language = await chooseLanguage(em, tenant, me, req.body?.language);
  // The notice is already in the language just chosen.
  reply.flash(speakAs(req, res, language).t('profile.language.saved'));
  reply.redirect('/profile');
});
