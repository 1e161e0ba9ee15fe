// GET /profile/two-factor: the QR code to scan; POST: confirm it with a first code,
// after which the recovery codes are shown, this once (they are stored only hashed).
import QRCode from 'qrcode';
import { confirmEnrolment, pendingEnrolment, startEnrolment, type Enrolment } from '../../../domain/technician/two-factor.js';
import { ValidationError, type FieldErrors } from '../../../lib/validation.js';
import { technician, type TechnicianCtx } from '../../action.js';

async function enrolmentPage(ctx: TechnicianCtx, enrolment: Enrolment, errors: FieldErrors = {}, status = 200): Promise<void> {
  const qr = await QRCode.toDataURL(enrolment.uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
  await ctx.reply.render('profile/two-factor', {
    title: 'Two-factor sign-in', qr, secret: enrolment.secret.match(/.{1,4}/g)!.join(' '),
    required: ctx.tenant.requireSecondFactor, errors,
  }, status);
}

export const show = technician(async (ctx) => {
  const enrolment = await startEnrolment(ctx.em, ctx.tenant, ctx.technician);
  if (!enrolment) return ctx.reply.redirect('/profile'); // already on
  await enrolmentPage(ctx, enrolment);
});

export const create = technician(async (ctx) => {
  let codes: string[];
  try {
    codes = await confirmEnrolment(ctx.em, ctx.tenant, ctx.technician, ctx.body.code);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    ctx.reply.rollback(); // the verb failed: nothing it wrote is kept
    // The same QR code again (rolled back above: nothing here needs keeping).
    const enrolment = await pendingEnrolment(ctx.em, ctx.tenant, ctx.technician);
    if (!enrolment) return ctx.reply.redirect('/profile/two-factor');
    return enrolmentPage(ctx, enrolment, error.errors, 422);
  }
  await ctx.reply.render('profile/recovery-codes', { title: 'Recovery codes', codes });
});
