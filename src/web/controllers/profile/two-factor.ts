// GET /profile/two-factor: the QR code to scan; POST: confirm it with a first code,
// after which the recovery codes are shown, this once (they are stored only hashed).
import { confirmEnrolment, pendingEnrolment, startEnrolment, type Enrolment } from '../../../domain/technician/two-factor.js';
import { technician, type ShownErrors, type TechnicianCtx } from '../../action.js';

async function enrolmentPage(ctx: TechnicianCtx, enrolment: Enrolment, errors: ShownErrors = {}, status = 200): Promise<void> {
  // Loaded the first time someone enrols, not at every start (bench/boot).
  const { default: QRCode } = await import('qrcode');
  const qr = await QRCode.toDataURL(enrolment.uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
  await ctx.reply.render('profile/two-factor', {
    title: ctx.t('profile.enrol.title'), qr, secret: enrolment.secret.match(/.{1,4}/g)!.join(' '),
    required: ctx.tenant.requireSecondFactor, errors,
  }, status);
}

export const show = technician(async (ctx) => {
  const enrolment = await startEnrolment(ctx.em, ctx.tenant, ctx.technician);
  if (!enrolment) return ctx.reply.redirect('/profile'); // already on
  await enrolmentPage(ctx, enrolment);
});

export const create = technician(async (ctx) => {
  await ctx.form(async (em) => {
    const codes = await confirmEnrolment(em, ctx.tenant, ctx.technician, ctx.body.code);
    await ctx.reply.render('profile/recovery-codes', { title: ctx.t('profile.recoveryCodes.title'), codes });
  }, async (errors) => {
    // The same QR code again (the form path rolls back, and nothing here needs keeping).
    const enrolment = await pendingEnrolment(ctx.em, ctx.tenant, ctx.technician);
    if (!enrolment) return ctx.reply.redirect('/profile/two-factor');
    return enrolmentPage(ctx, enrolment, errors, 422);
  });
});
