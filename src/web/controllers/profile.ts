// The signed-in technician's own profile: who they are (name; email and password have
// their own pages in profile/), the language and time zone they read, how they sign
// in, and where they are signed in (profile/sessions.ts ends those sessions).
import { PasswordToken } from '../../domain/technician/password-token.js';
import { RecoveryCode } from '../../domain/technician/second-factor.js';
import { chooseLanguage, chooseTimeZone, renameTechnician } from '../../domain/technician/profile.js';
import { sessionsOf } from '../../domain/technician/sessions.js';
import { secondFactorOf } from '../../domain/technician/two-factor.js';
import { knownTimeZone, timeZones } from '../../lib/format.js';
import { deviceOf } from '../../lib/user-agent.js';
import { technician, type ShownErrors, type TechnicianCtx } from '../action.js';
import { speakAs } from '../middleware/language.js';

export interface ProfileValues { name?: unknown; language?: unknown; timeZone?: unknown }

export async function profilePage(ctx: TechnicianCtx, values: ProfileValues = {}, errors: ShownErrors = {}, status = 200): Promise<void> {
  const { em, technician: me, req, reply, t } = ctx;
  const factor = await secondFactorOf(em, me);
  const enrolledAt = factor?.confirmedAt ?? null;
  const recoveryCodesLeft = enrolledAt ? await em.count(RecoveryCode, { technician: me, usedAt: null }) : 0;
  const pending = await em.findOne(PasswordToken, { technician: me, purpose: 'email', usedAt: null, expiresAt: { $gt: new Date() } }, { orderBy: { id: 'desc' } });
  const sessions = (await sessionsOf(em, me, req.sessionID)).map((s) => ({ ...s, device: deviceOf(s.userAgent) }));
  const zones = timeZones();
  const own = me.timeZone ?? '';
  await reply.render('profile/show', {
    title: t('profile.show.title'), me, enrolledAt, recoveryCodesLeft, errors, sessions,
    pendingEmail: pending?.newEmail ?? null,
    name: values.name ?? me.name,
    language: values.language ?? me.language ?? '',
    timeZone: values.timeZone ?? own,
    timeZones: own && !zones.includes(own) ? [own, ...zones] : zones,
  }, status);
}

export const show = technician((ctx) => profilePage(ctx));

/** POST /profile/name */
export const updateName = technician(async (ctx) => {
  await ctx.form(async (em) => {
    await renameTechnician(em, ctx.tenant, ctx.technician, ctx.body.name);
    ctx.reply.flash(ctx.t('profile.name.saved'));
    ctx.reply.redirect('/profile');
  }, (errors) => profilePage(ctx, { name: ctx.body.name }, errors, 422));
});

/**
 * POST /profile/language: their own language, or (an empty or unknown value) the
 * workspace's; and, when the form sends one, their own time zone or ('') the workspace's.
 */
export const updateLanguage = technician(async (ctx) => {
  const { req, res, tenant, technician: me, body, reply } = ctx;
  await ctx.form(async (em) => {
    const language = await chooseLanguage(em, tenant, me, body.language);
    const timeZone = 'timeZone' in body ? await chooseTimeZone(em, tenant, me, body.timeZone) : me.timeZone;
    // The notice is already in the language (and the next page in the time zone) just chosen.
    reply.flash(speakAs(req, res, language, timeZone ?? null).t('profile.language.saved'));
    reply.redirect('/profile');
  }, (errors) => profilePage(ctx, { language: body.language, timeZone: knownTimeZone(body.timeZone) ?? me.timeZone ?? '' }, errors, 422));
});
