// The root host: create a workspace, land signed in on its own host.
import type { Request, Response } from 'express';
import { globalEm } from '../../db/unit-of-work.js';
import { signUp } from '../../domain/tenant/signup.js';
import { Tenant } from '../../domain/tenant/tenant.js';
import { plans } from '../../domain/tenant/plans.js';
import { editions, termsFor } from '../../domain/tenant/terms.js';
import { tenantUrl } from '../../lib/urls.js';
import { shownErrors, ValidationError } from '../../lib/validation.js';
import { refuse } from '../middleware/csrf.js';
import { signupLimits } from '../rate-limits.js';
import { renderPage } from '../reply.js';

const choices = {
  editions: editions.map((e) => ({ value: e, label: termsFor(e).editionName, words: `${termsFor(e).customers}, ${termsFor(e).contacts}, ${termsFor(e).portal}` })),
  plans: Object.values(plans).map((p) => ({ value: p.name, label: p.label })),
};

function page(req: Request, res: Response, view: string, locals: Record<string, unknown>, status = 200): Promise<void> {
  return renderPage(req, res, 'layouts/public', view, { ...choices, ...locals }, status);
}

export async function landing(req: Request, res: Response): Promise<void> {
  await page(req, res, 'home/landing', { title: 'Sportello — the helpdesk with a safer portal' });
}

export async function newSignup(req: Request, res: Response): Promise<void> {
  await page(req, res, 'signup/new', { title: 'Create your workspace', values: { edition: 'msp', plan: 'pro' }, errors: {} });
}

export async function createSignup(req: Request, res: Response): Promise<void> {
  if (req.csrfPending) return refuse(req, res);
  const values = { ...(req.body as Record<string, unknown>), password: '' };
  const wait = await signupLimits().blocked(req.ip ?? '');
  if (wait) {
    return page(req, res, 'signup/new', { title: 'Create your workspace', values, errors: { form: `Too many workspaces were created from your address. Try again in ${Math.ceil(wait / 60)} minutes.` } }, 429);
  }
  try {
    const { tenant, handoverToken } = await signUp(req.body ?? {});
    await signupLimits().created(req.ip ?? '');
    res.redirect(303, tenantUrl(tenant.slug, `/session/handover/${handoverToken}`));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    await page(req, res, 'signup/new', { title: 'Create your workspace', values, errors: shownErrors(req.speaker!.t, error.errors) }, 422);
  }
}

export async function findWorkspace(req: Request, res: Response): Promise<void> {
  await page(req, res, 'find/new', { title: 'Find your workspace', value: '', error: undefined });
}

/** Takes a workspace name or its address and goes there; an unknown one is said plainly. */
export async function goToWorkspace(req: Request, res: Response): Promise<void> {
  if (req.csrfPending) return refuse(req, res);
  const value = String(req.body?.workspace ?? '').trim().toLowerCase().slice(0, 200);
  const slug = value.replace(/^https?:\/\//, '').split(/[./:]/)[0];
  const tenant = slug ? await globalEm().findOne(Tenant, { slug }, { fields: ['slug'] }) : null;
  if (!tenant) {
    return page(req, res, 'find/new', { title: 'Find your workspace', value, error: value ? `There is no workspace called “${slug}”.` : 'Enter your workspace name.' }, 422);
  }
  res.redirect(303, tenantUrl(tenant.slug, '/login'));
}
