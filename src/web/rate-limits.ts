// Sign-in limits, in a PostgreSQL table every process shares: per account
// (tenant + email, whether or not it exists) and per client address.
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

  /** Seconds until another attempt is allowed, or 0. */
  async blocked(tenantId: number, account: string, address: string): Promise<number> {
    const [a, b] = await Promise.all([this.perAccount.get(`${tenantId}:${account}`), this.perAddress.get(address)]);
    const over = (res: RateLimiterRes | null, points: number) => (res && res.consumedPoints >= points ? Math.ceil(res.msBeforeNext / 1000) : 0);
    return Math.max(over(a, this.perAccount.points), over(b, this.perAddress.points));
  }

  async failed(tenantId: number, account: string, address: string): Promise<void> {
    await Promise.all([
      this.perAccount.penalty(`${tenantId}:${account}`, 1),
      this.perAddress.penalty(address, 1),
    ]);
  }

  async succeeded(tenantId: number, account: string): Promise<void> {
    await this.perAccount.delete(`${tenantId}:${account}`);
  }
}

const limiters = new Map<string, LoginLimiter>();

export function setUpLimiters(pool: pg.Pool): void {
  limiters.set('technician', new LoginLimiter(pool, 'login'));
  limiters.set('contact', new LoginLimiter(pool, 'portal-login'));
}

export function loginLimiter(kind: 'technician' | 'contact' = 'technician'): LoginLimiter {
  const limiter = limiters.get(kind);
  if (!limiter) throw new Error('rate limits not set up');
  return limiter;
}
