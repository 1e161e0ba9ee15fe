// The root host: create a workspace, land signed in on its own host.
import type { Request, Response } from 'express';
import { globalEm } from '../../db/unit-of-work.js';
import { signUp } from '../../domain/tenant/signup.js';
import { Tenant } from '../../domain/tenant/tenant.js';
import { plans } from '../../domain/tenant/plans.js';
import { editions, termsFor } from '../../domain/tenant/terms.js';
import { usualTimeZone } from '../../i18n/languages.js';
import { timeZones } from '../../lib/format.js';
import { tenantUrl } from '../../lib/urls.js';
import { shownErrors, ValidationError } from '../../lib/validation.js';
import { refuse } from '../middleware/csrf.js';
import { signupLimits } from '../rate-limits.js';
import { renderPage } from '../reply.js';

const planChoices = Object.values(plans).map((p) => ({ value: p.name, label: p.label }));
const zones = timeZones();

/** The edition choice in the page's language: each edition's name and the words it uses. */
function editionChoices(req: Request) {
  const lang = req.speaker!.lang;
  return editions.map((e) => {
    const terms = termsFor(e, lang);
    return { value: e, label: terms.editionName, words: [terms.customers, terms.contacts, terms.portal].join(', ') };
  });
}

function page(req: Request, res: Response, view: string, locals: Record<string, unknown>, status = 200): Promise<void> {
  return renderPage(req, res, 'layouts/public', view, { editions: editionChoices(req), plans: planChoices, timeZones: zones, ...locals }, status);
}

export async function landing(req: Request, res: Response): Promise<void> {
  await page(req, res, 'home/landing', { title: req.speaker!.t('signup.landing.title') });
}

export async function newSignup(req: Request, res: Response): Promise<void> {
  // The workspace's language starts as the page's: the one the switch chose, else the browser's
  // (browserLanguage, middleware/language.ts); its time zone as that language's usual one.
  const language = req.speaker!.lang;
  const values = { edition: 'msp', plan: 'pro', language, timeZone: usualTimeZone[language] };
  await page(req, res, 'signup/new', { title: req.speaker!.t('signup.new.title'), values, errors: {} });
}

export async function createSignup(req: Request, res: Response): Promise<void> {
  if (req.csrfPending) return refuse(req, res);
  const { t } = req.speaker!;
  const values = { ...(req.body as Record<string, unknown>), password: '' };
  const title = t('signup.new.title');
  const wait = await signupLimits().blocked(req.ip ?? '');
  if (wait) {
    const form = t('signup.new.tooMany', { wait: t('auth.wait.minutes', { count: Math.ceil(wait / 60) }) });
    return page(req, res, 'signup/new', { title, values, errors: { form } }, 429);
  }
  try {
    const { tenant, handoverToken } = await signUp(req.body ?? {});
    await signupLimits().created(req.ip ?? '');
    res.redirect(303, tenantUrl(tenant.slug, `/session/handover/${handoverToken}`));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    await page(req, res, 'signup/new', { title, values, errors: shownErrors(t, error.errors) }, 422);
  }
}

export async function findWorkspace(req: Request, res: Response): Promise<void> {
  await page(req, res, 'find/new', { title: req.speaker!.t('signup.find.title'), value: '', error: undefined });
}

/** Takes a workspace name or its address and goes there; an unknown one is said plainly. */
export async function goToWorkspace(req: Request, res: Response): Promise<void> {
  if (req.csrfPending) return refuse(req, res);
  const { t } = req.speaker!;
  const value = String(req.body?.workspace ?? '').trim().toLowerCase().slice(0, 200);
  const slug = value.replace(/^https?:\/\//, '').split(/[./:]/)[0];
  const tenant = slug ? await globalEm().findOne(Tenant, { slug }, { fields: ['slug'] }) : null;
  if (!tenant) {
    const error = value ? t('signup.find.noSuch', { slug }) : t('signup.find.empty');
    return page(req, res, 'find/new', { title: t('signup.find.title'), value, error }, 422);
  }
  res.redirect(303, tenantUrl(tenant.slug, '/login'));
}
