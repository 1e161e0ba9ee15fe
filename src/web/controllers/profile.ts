// The signed-in technician's own profile: who they are and how they sign in.
import { RecoveryCode } from '../../domain/technician/second-factor.js';
import { secondFactorOf } from '../../domain/technician/two-factor.js';
import { technician } from '../action.js';

export const show = technician(async ({ em, technician: me, reply }) => {
  const factor = await secondFactorOf(em, me);
  const enrolledAt = factor?.confirmedAt ?? null;
  const recoveryCodesLeft = enrolledAt ? await em.count(RecoveryCode, { technician: me, usedAt: null }) : 0;
  await reply.render('profile/show', { title: 'Profile', me, enrolledAt, recoveryCodesLeft });
});
