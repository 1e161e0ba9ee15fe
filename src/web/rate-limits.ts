// Sign-in limits, in a PostgreSQL table every process shares: per account
// (tenant + email, whether or not it exists) and per client address.
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

const WINDOW_SECONDS = 15 * 60;

export class LoginLimiter {
  private readonly perAccount: RateLimiterPostgres;
  private readonly perAddress: RateLimiterPostgres;

  constructor(pool: pg.Pool, prefix: string, accountPoints = 5, addressPoints = 30) {
    const common = { storeClient: pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS };
    this.perAccount = new RateLimiterPostgres({ ...common, keyPrefix: `${prefix}:account`, points: accountPoints });
    this.perAddress = new RateLimiterPostgres({ ...common, keyPrefix: `${prefix}:address`, points: addressPoints });
  }

  /**
   * Counts this attempt before the password is checked — one atomic upsert per key,
   * so guesses sent all at once cannot all pass a read-then-write check — and
   * returns the seconds until another attempt is allowed, or 0 when this one may go on.
   */
  async attempt(tenantId: number, account: string, address: string): Promise<number> {
    const [a, b] = await Promise.all([
      this.perAccount.penalty(accountKey(tenantId, account), 1),
      this.perAddress.penalty(address, 1),
    ]);
    const over = (res: RateLimiterRes, points: number) => (res.consumedPoints > points ? Math.ceil(res.msBeforeNext / 1000) : 0);
    return Math.max(over(a, this.perAccount.points), over(b, this.perAddress.points));
  }

  /** A correct password: the account starts afresh, and the address is not charged for it. */
  async succeeded(tenantId: number, account: string, address: string): Promise<void> {
    await Promise.all([this.perAccount.delete(accountKey(tenantId, account)), this.perAddress.reward(address, 1)]);
  }
}

/** The account's key, of fixed length whatever was typed (the key column holds 255 characters). */
function accountKey(tenantId: number, account: string): string {
  return `${tenantId}:${createHash('sha256').update(account).digest('hex')}`;
}

/**
 * The per-address key: an IPv4 address as it is; an IPv6 one by its /64 network,
 * since one subscriber is handed a whole /64 and could otherwise take a fresh
 * address for every few guesses.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  const bare = ip.split('%')[0];
  if (!isIPv6(bare)) return ip;
  const [head, tail] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

const limiters = new Map<string, LoginLimiter>();

export function setUpLimiters(pool: pg.Pool): void {
  limiters.set('technician', new LoginLimiter(pool, 'login'));
  limiters.set('contact', new LoginLimiter(pool, 'portal-login'));
  setUpResetLimiter(pool);
  signupLimiter = new SignupLimiter(pool);
}

export function loginLimiter(kind: 'technician' | 'contact' = 'technician'): LoginLimiter {
  const limiter = limiters.get(kind);
  if (!limiter) throw new Error('rate limits not set up');
  return limiter;
}

/**
 * Forgot-password requests: per address (tenant + email, whether or not it
 * exists) and per client address, so nobody floods a mailbox or probes at speed.
 */
export class ResetRequestLimiter {
  private readonly perAccount: RateLimiterPostgres;
  private readonly perAddress: RateLimiterPostgres;

  constructor(pool: pg.Pool, accountPoints = 3, addressPoints = 20) {
    const common = { storeClient: pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, duration: 3600 };
    this.perAccount = new RateLimiterPostgres({ ...common, keyPrefix: 'portal-reset:account', points: accountPoints });
    this.perAddress = new RateLimiterPostgres({ ...common, keyPrefix: 'portal-reset:address', points: addressPoints });
  }

  /** Counts the request; the seconds to wait when over a limit, else 0. */
  async consume(tenantId: number, account: string, address: string): Promise<number> {
    const results = await Promise.allSettled([this.perAddress.consume(addressKey(address)), this.perAccount.consume(accountKey(tenantId, account))]);
    let wait = 0;
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      if (r.reason instanceof RateLimiterRes) wait = Math.max(wait, Math.ceil(r.reason.msBeforeNext / 1000));
      else throw r.reason;
    }
    return wait;
  }
}

let resetLimiter: ResetRequestLimiter | undefined;

export function setUpResetLimiter(pool: pg.Pool): void {
  resetLimiter = new ResetRequestLimiter(pool);
}

export function resetRequestLimiter(): ResetRequestLimiter {
  if (!resetLimiter) throw new Error('rate limits not set up');
  return resetLimiter;
}

/** Workspaces created per client address: each costs an argon2 hash and can mail invitations. */
export class SignupLimiter {
  private readonly perAddress: RateLimiterPostgres;

  constructor(pool: pg.Pool, points = 10) {
    this.perAddress = new RateLimiterPostgres({ storeClient: pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, duration: 3600, keyPrefix: 'signup:address', points });
  }

  /** Seconds until this address may create another workspace, or 0. */
  async blocked(address: string): Promise<number> {
    const res = await this.perAddress.get(addressKey(address));
    return res && res.consumedPoints >= this.perAddress.points ? Math.ceil(res.msBeforeNext / 1000) : 0;
  }

  /** Counts a workspace created (only valid signups cost a hash; only they are counted). */
  async created(address: string): Promise<void> {
    await this.perAddress.penalty(addressKey(address), 1);
  }
}

let signupLimiter: SignupLimiter | undefined;

export function signupLimits(): SignupLimiter {
  if (!signupLimiter) throw new Error('rate limits not set up');
  return signupLimiter;
}
