// Admin > Workspace: its name, language and time zone.
import { updateWorkspace } from '../../../domain/tenant/workspace.js';
import { languageNames, languageOr, languages } from '../../../i18n/languages.js';
import { knownTimeZone, timeZones } from '../../../lib/format.js';
import { admin, type ShownErrors, type TechnicianCtx } from '../../action.js';
import { speakAs } from '../../middleware/language.js';
import { forgetTenant } from '../../middleware/tenant-cache.js';

interface Values { name: unknown; language: unknown; timeZone: unknown }

function page(ctx: TechnicianCtx, values: Values, errors: ShownErrors = {}, status = 200): Promise<void> {
  const zones = timeZones();
  // A zone Intl spells another way (an alias kept from before) is still offered as it is.
  const current = ctx.tenant.timeZone;
  return ctx.reply.render('admin/workspace/show', {
    title: ctx.t('admin.workspace.title'), values, errors,
    languageOptions: languages.map((l) => [l, languageNames[l]]),
    timeZones: zones.includes(current) ? zones : [current, ...zones],
  }, status);
}

export const show = admin(async (ctx) => {
  const { name, language, timeZone } = ctx.tenant;
  await page(ctx, { name, language, timeZone });
});

export const update = admin(async (ctx) => {
  const { req, res, tenant, body } = ctx;
  await ctx.form(async (em) => {
    await updateWorkspace(em, tenant, { name: body.name, language: body.language, timeZone: body.timeZone });
    forgetTenant(tenant.slug);
    // The message reads in the language the next page speaks (the workspace's new one, unless the admin has their own).
    Object.assign(req.tenant!, { name: tenant.name, language: tenant.language, timeZone: tenant.timeZone });
    speakAs(req, res, ctx.technician.language);
    ctx.reply.flash(ctx.t('admin.workspace.saved'));
    ctx.reply.redirect('/admin/workspace');
  }, (errors) => page(ctx, {
    // As typed; a choice the lists lack (a forged form) shows what saving would have used, or the zone kept.
    name: body.name, language: languageOr(body.language), timeZone: knownTimeZone(body.timeZone) ?? tenant.timeZone,
  }, errors, 422));
});
