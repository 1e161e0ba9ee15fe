// The tenant comes from the Host's subdomain: {slug}.{APP_DOMAIN}. The root host
// serves signup and the landing page; an unknown subdomain is a 404 page.
import type { NextFunction, Request, Response } from 'express';
import { config } from '../../config.js';
import { rootUrl } from '../../lib/urls.js';
import type { Tenant } from '../../domain/tenant/tenant.js';
import { forgetTenant, tenantBySlug } from './tenant-cache.js';
import { noteTrialEnd, trialEndUnnoted } from '../../domain/tenant/trial.js';
import { ensureSpoken } from './language.js';
import { plans, trialDaysLeft } from '../../domain/tenant/plans.js';

export type HostKind = 'root' | 'tenant';

declare module 'express-serve-static-core' {
  interface Request {
    hostKind?: HostKind;
    tenant?: Tenant;
  }
}

export function hostParts(hostHeader: string | undefined): { kind: HostKind; slug?: string } | undefined {
  const host = (hostHeader ?? '').toLowerCase().split(':')[0];
  const root = config().appDomain.split(':')[0];
  if (host === root) return { kind: 'root' };
  if (host.endsWith(`.${root}`)) {
    const slug = host.slice(0, -root.length - 1);
    if (/^[a-z0-9-]{1,63}$/.test(slug)) return { kind: 'tenant', slug };
  }
  return undefined;
}

export async function resolveTenant(req: Request, res: Response, next: NextFunction): Promise<void> {
  const parts = hostParts(req.headers.host);
  if (!parts) {
    ensureSpoken(req, res);
    // A bare IP or another name for this machine: the newcomer is told the address that works (in their browser's language).
    return res.status(404).render('errors/unknown-host', { layoutless: true, rootUrl: rootUrl('/'), rootHost: config().appDomain });
  }
  req.hostKind = parts.kind;
  if (parts.kind === 'tenant') {
    const tenant = await tenantBySlug(parts.slug!);
    if (!tenant) {
      ensureSpoken(req, res);
      return res.status(404).render('errors/unknown-workspace', { slug: parts.slug });
    }
    // The first request to see the trial over records it once (a check of the cached row; a write only then).
    if (trialEndUnnoted(tenant)) {
      await noteTrialEnd(tenant.id);
      tenant.trialEndNotedAt = new Date();
      forgetTenant(tenant.slug);
    }
    req.tenant = tenant;
    res.locals.tenant = tenant;
    res.locals.planLabel = plans[tenant.plan].label;
    res.locals.trialDaysLeft = trialDaysLeft(tenant.trialEndsAt);
  }
  next();
}
