// Signing up a workspace: the tenant, its first admin, and a single-use token that
// hands the new session over to the tenant's own host (cookies are per host).
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { inTenant, globalEm } from '../../db/unit-of-work.js';
import { hashPassword, passwordProblem } from '../../lib/passwords.js';
import { Checker, normaliseEmail, text, ValidationError } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { issueToken } from '../technician/tokens.js';
import { Technician } from '../technician/technician.js';
import { isPlan, TRIAL_DAYS } from './plans.js';
import { Tenant } from './tenant.js';
import { isEdition } from './terms.js';
import { setUpNewTenant } from './setup.js';
import { languageOr, usualTimeZone } from '../../i18n/languages.js';
import { knownTimeZone } from '../../lib/format.js';
import { msg } from '../../i18n/translate.js';

export const RESERVED_SLUGS = new Set([
  'www', 'admin', 'api', 'app', 'mail', 'smtp', 'imap', 'pop', 'pop3', 'ftp', 'static', 'assets', 'cdn', 'status',
  'help', 'support', 'docs', 'blog', 'portal', 'login', 'signup', 'auth', 'account', 'accounts', 'billing', 'dashboard',
  'sportello', 'demo-admin', 'root', 'system', 'test', 'dev', 'staging', 'localhost', 'ns1', 'ns2', 'mx', 'webmail',
]);

export interface SignupInput {
  companyName?: unknown; slug?: unknown; edition?: unknown; plan?: unknown;
  adminName?: unknown; adminEmail?: unknown; password?: unknown;
  /** `it` or `en`; anything else is the default language. */
  language?: unknown;
  /** An IANA time zone; anything else is the language's usual one. */
  timeZone?: unknown;
}

export interface SignupResult {
  tenant: Tenant;
  admin: Technician;
  handoverToken: string;
}

export async function signUp(input: SignupInput): Promise<SignupResult> {
  const companyName = text(input.companyName);
  const slug = text(input.slug).toLowerCase();
  const adminName = text(input.adminName);
  const adminEmail = normaliseEmail(input.adminEmail);
  const password = typeof input.password === 'string' ? input.password : '';
  const language = languageOr(input.language);
  const timeZone = knownTimeZone(input.timeZone) ?? usualTimeZone[language];

  const check = new Checker()
    .require('companyName', companyName, 'signup.new.companyName')
    .require('adminName', adminName, 'signup.new.adminName')
    .email('adminEmail', adminEmail);
  if (!slug) check.add('slug', 'signup.errors.slugRequired');
  else if (!/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/.test(slug) || slug.includes('--')) {
    check.add('slug', 'signup.errors.slugMalformed');
  } else if (RESERVED_SLUGS.has(slug)) check.add('slug', msg('signup.errors.slugReserved', { slug }));
  if (!isEdition(input.edition)) check.add('edition', 'signup.errors.edition');
  if (!isPlan(input.plan)) check.add('plan', 'signup.errors.plan');
  const weak = password ? passwordProblem(password) : 'validation.password.required';
  if (weak) check.add('password', weak);
  check.throwIfAny();

  const em = globalEm();
  if (await em.count(Tenant, { slug })) throw new ValidationError({ slug: msg('signup.errors.slugTaken', { slug }) });

  const passwordHash = await hashPassword(password);
  // Reserve the id first, so the whole signup runs as that tenant under row-level security.
  const [{ id }] = await em.getConnection().execute<{ id: number }[]>("select nextval('tenants_id_seq')::int as id");
  try {
    return await inTenant(id, async (tx) => {
      const tenant = tx.create(Tenant, {
        id, slug, name: companyName, edition: input.edition as Tenant['edition'], plan: input.plan as Tenant['plan'],
        trialEndsAt: new Date(Date.now() + TRIAL_DAYS * 86_400_000), nextTicketNumber: 1001, createdAt: new Date(),
        language, timeZone,
      });
      const admin = tx.create(Technician, { tenant, email: adminEmail, name: adminName, role: 'admin', passwordHash, active: true, createdAt: new Date() });
      await tx.flush();
      await setUpNewTenant(tx, tenant);
      const handoverToken = issueToken(tx, tenant, admin, 'handover');
      audit(tx, tenant, 'tenant.signed_up', { type: 'tenant', id }, { plan: tenant.plan, edition: tenant.edition, admin: adminEmail });
      await tx.flush();
      return { tenant, admin, handoverToken };
    }, { kind: 'technician', name: adminName });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw new ValidationError({ slug: msg('signup.errors.slugTaken', { slug }) });
    }
    throw error;
  }
}
