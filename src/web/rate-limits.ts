// Sign-in limits, in a PostgreSQL table every process shares. They bound guessing
// without handing anyone a way to lock an owner out (OWASP Authentication Cheat Sheet):
// - per account *and* address: a few wrong passwords, then that pair waits out the window;
// - per address, all accounts together: password spraying from one network;
// - per account from anywhere: never a block, a back-off that doubles with each wrong
//   password past a free allowance, up to a few minutes;
// - a browser the owner signed in with (or unlocked from) is trusted: its attempts are
//   counted per (account, browser) instead, and the account's back-off does not apply.
// An unlock link emailed when the account goes over its limit clears the account's counts.
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

const WINDOW_SECONDS = 15 * 60;

export interface LoginLimits {
  /** Attempts per (account, address), or per (account, trusted browser), in 15 minutes. */
  perPair: number;
  /** Attempts per address, all accounts together, in 15 minutes. */
  perAddress: number;
  /** Wrong passwords per account, from anywhere, before each further attempt waits a back-off. */
  freePerAccount: number;
  /** The back-off after `freePerAccount` wrong passwords; it doubles with each one more. */
  firstBackoffSeconds: number;
  maxBackoffSeconds: number;
  /** The account's count starts afresh after this long without a wrong password. */
  accountMemorySeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perPair: 5, perAddress: 30, freePerAccount: 10, firstBackoffSeconds: 1, maxBackoffSeconds: 300, accountMemorySeconds: 3600,
};

export interface SignInVerdict {
  /** Seconds to wait before another attempt; 0 when this one may be checked. */
  wait: number;
  /** This attempt, if it turns out wrong, takes the account over its free allowance: record it, email the owner. */
  overLimitIfWrong: boolean;
  /** Wrong passwords the account has had (this attempt included) while it keeps counting. */
  failures: number;
}

/**
 * One sign-in form's limits (`prefix` names it: 'login', 'portal-login', or a second
 * factor's). Attempts are counted before the secret is checked — one atomic upsert
 * per key, so guesses sent all at once cannot all pass a read-then-write check —
 * and a correct one is given back (`succeeded`).
 */
export class LoginLimiter {
  private readonly perPair: RateLimiterPostgres;
  private readonly perAddress: RateLimiterPostgres;
  readonly limits: LoginLimits;

  constructor(private readonly pool: pg.Pool, private readonly prefix: string, limits: Partial<LoginLimits> = {}) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
    const common = { storeClient: pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, duration: WINDOW_SECONDS };
    this.perPair = new RateLimiterPostgres({ ...common, keyPrefix: `${prefix}:pair`, points: this.limits.perPair });
    this.perAddress = new RateLimiterPostgres({ ...common, keyPrefix: `${prefix}:address`, points: this.limits.perAddress });
  }

  /** The seconds until another attempt is allowed, or 0 when this one may go on (see `check`). */
  async attempt(tenantId: number, account: string, address: string, device?: string): Promise<number> {
    return (await this.check(tenantId, account, address, device)).wait;
  }

  /**
   * Counts this attempt. `address` is an `addressKey`; `device` the id of a browser the
   * owner has signed in with (see trusted-device.ts). An attempt refused by one count is
   * given back to the others, and one refused by the account's back-off to all of them:
   * waiting and retrying costs the owner nothing and never lengthens the wait.
   */
  async check(tenantId: number, account: string, address: string, device?: string): Promise<SignInVerdict> {
    const attempt = this.attemptStatement(tenantId, account, address, device);
    const { rows } = await this.pool.query({ text: `${attempt.with} select ${attempt.columns}`, values: attempt.params });
    return attempt.verdict(rows[0]);
  }

  /**
   * `check` as parts of one statement, for a caller that reads the account in the same
   * round trip (sign-in.ts): `with` holds the counts (its parameters are `params`, a
   * caller's own follow them), `columns` selects what `verdict` reads from the row. All
   * counts are taken at once — the pair's, the address's (not for a trusted browser), and
   * the account's back-off, which only moves when the other two let the attempt through —
   * each an atomic upsert, so guesses sent all at once cannot all pass. Only a refused
   * attempt costs more statements (the counts it gives back).
   */
  attemptStatement(tenantId: number, account: string, address: string, device?: string): { with: string; columns: string; params: unknown[]; verdict: (row: Record<string, unknown>) => Promise<SignInVerdict> } {
    const key = accountKey(tenantId, account);
    const pairKey = pairKeyOf(key, address, device);
    const { perPair, perAddress, freePerAccount, accountMemorySeconds } = this.limits;
    const now = Date.now();
    const memory = accountMemorySeconds * 1000;
    // The counts as rate-limiter-flexible keeps them (its rows and keys: `reward`, `delete` and `unlock` still use it).
    const window = (row: string, skip: string) => `insert into rate_limits (key, points, expire) select ${row}, 1, $4::bigint + ${WINDOW_SECONDS * 1000} where not ${skip}
        on conflict (key) do update set
          points = case when rate_limits.expire <= $4::bigint then 1 else rate_limits.points + 1 end,
          expire = case when rate_limits.expire <= $4::bigint then $4::bigint + ${WINDOW_SECONDS * 1000} else rate_limits.expire end
        returning points, expire`;
    const text = `with limit_pair as (${window('$1', 'false')}),
      limit_address as (${window('$2', '$5::boolean')}),
      limit_account as (
        insert into rate_limits (key, points, expire) select $3, 1, $4::bigint + $6::bigint
          where not $5::boolean and (select points from limit_pair) <= ${perPair} and coalesce((select points from limit_address), 0) <= ${perAddress}
        on conflict (key) do update set
          points = case when rate_limits.expire <= $4::bigint then 1 else rate_limits.points + 1 end,
          expire = $4::bigint + $6::bigint
        where rate_limits.expire <= $4::bigint or rate_limits.points < $7
           or $4::bigint >= rate_limits.expire - $6::bigint + ${this.backoff('rate_limits.points', '$7')}
        returning points),
      limit_held as (select points, (expire - $6::bigint + ${this.backoff('points', '$7')})::text as ready from rate_limits where key = $3)`;
    const columns = `(select points from limit_pair) as limit_pair_points, (select expire::text from limit_pair) as limit_pair_expire,
      (select points from limit_address) as limit_address_points, (select expire::text from limit_address) as limit_address_expire,
      (select points from limit_account) as limit_account_points, (select points from limit_held) as limit_held_points, (select ready from limit_held) as limit_held_ready`;
    const params = [`${this.prefix}:pair:${pairKey}`, `${this.prefix}:address:${address}`, this.accountRow(key), now, Boolean(device), memory, freePerAccount];
    const verdict = async (row: Record<string, unknown>): Promise<SignInVerdict> => {
      const over = (points: unknown, expire: unknown, limit: number) => (points != null && Number(points) > limit ? Math.max(1, Math.ceil(Math.max(Number(expire) - Date.now(), 0) / 1000)) : 0);
      const pairWait = over(row.limit_pair_points, row.limit_pair_expire, perPair);
      const addressWait = device ? 0 : over(row.limit_address_points, row.limit_address_expire, perAddress);
      const wait = Math.max(pairWait, addressWait);
      if (wait) {
        // Only the count that refused keeps its point: the other one did not see a guess.
        if (!pairWait) await this.perPair.reward(pairKey, 1);
        else if (!device && !addressWait) await this.perAddress.reward(address, 1);
        return { wait, overLimitIfWrong: false, failures: 0 };
      }
      if (device) return { wait: 0, overLimitIfWrong: false, failures: 0 };
      let failures: number | { wait: number; failures: number };
      if (row.limit_account_points != null) failures = Number(row.limit_account_points);
      else if (row.limit_held_points != null) failures = { wait: Math.max(1, Math.ceil((Number(row.limit_held_ready) - now) / 1000)), failures: Number(row.limit_held_points) };
      // Forgotten in between (an unlock, a success): one more try is the owner's.
      else failures = await this.passAccountBackoff(key);
      if (typeof failures === 'object') {
        await Promise.all([this.perPair.reward(pairKey, 1), this.perAddress.reward(address, 1)]);
        return { wait: failures.wait, overLimitIfWrong: false, failures: failures.failures };
      }
      return { wait: 0, overLimitIfWrong: failures === freePerAccount, failures };
    };
    return { with: text, columns, params, verdict };
  }

  /** A correct password: the account starts afresh, and the address is not charged for it. */
  async succeeded(tenantId: number, account: string, address: string, device?: string): Promise<void> {
    const success = this.successStatement(tenantId, account, address, device);
    await this.pool.query({ text: `${success.with} select 1`, values: success.params });
  }

  /**
   * `succeeded` as the `with` part of one statement (its parameters `params`; a caller's
   * own follow them), for a caller that writes the sign-in in the same round trip.
   */
  successStatement(tenantId: number, account: string, address: string, device?: string): { with: string; params: unknown[] } {
    const key = accountKey(tenantId, account);
    const window = WINDOW_SECONDS * 1000;
    // The address's point given back, as rate-limiter-flexible's `reward` does it.
    const text = `with limit_forgotten as (delete from rate_limits where key = $1 or key = $2),
      limit_rewarded as (insert into rate_limits (key, points, expire) select $3, -1, $4::bigint + ${window} where not $5::boolean
        on conflict (key) do update set
          points = case when rate_limits.expire <= $4::bigint then -1 else rate_limits.points - 1 end,
          expire = case when rate_limits.expire <= $4::bigint then $4::bigint + ${window} else rate_limits.expire end)`;
    return { with: text, params: [this.accountRow(key), `${this.prefix}:pair:${pairKeyOf(key, address, device)}`, `${this.prefix}:address:${address}`, Date.now(), Boolean(device)] };
  }

  /** The owner's unlock link: the account's back-off and every (account, address) count end. */
  async unlock(tenantId: number, account: string): Promise<void> {
    const key = accountKey(tenantId, account);
    await this.pool.query('delete from rate_limits where key = $1 or key like $2', [this.accountRow(key), `${this.prefix}:pair:${key}:%`]);
  }

  /** The back-off after `points` wrong passwords, `free` of them free, in ms (SQL). */
  private backoff(points: string, free: string): string {
    const { firstBackoffSeconds, maxBackoffSeconds } = this.limits;
    return `least(${maxBackoffSeconds * 1000}::bigint, (${firstBackoffSeconds * 1000} * power(2, least(${points} - ${free}, 30)))::bigint)`;
  }

  private accountRow(key: string): string {
    return `${this.prefix}:account:${key}`;
  }

  /**
   * The account's back-off, as one conditional upsert: the row counts wrong passwords
   * (`points`) and `expire` is the moment the count is forgotten, `accountMemorySeconds`
   * after the last one — so it also dates the last one. Of attempts racing for a slot
   * only one gets it. Returns the count with this attempt, or how long to wait.
   */
  private async passAccountBackoff(key: string): Promise<number | { wait: number; failures: number }> {
    const { freePerAccount, accountMemorySeconds } = this.limits;
    const now = Date.now();
    const memory = accountMemorySeconds * 1000;
    const row = this.accountRow(key);
    const passed = await this.pool.query<{ points: number }>(
      `insert into rate_limits (key, points, expire) values ($1, 1, $2::bigint + $3::bigint)
       on conflict (key) do update set
         points = case when rate_limits.expire <= $2::bigint then 1 else rate_limits.points + 1 end,
         expire = $2::bigint + $3::bigint
       where rate_limits.expire <= $2::bigint or rate_limits.points < $4
          or $2::bigint >= rate_limits.expire - $3::bigint + ${this.backoff('rate_limits.points', '$4')}
       returning points`, [row, now, memory, freePerAccount]);
    if (passed.rows[0]) return passed.rows[0].points;
    const held = await this.pool.query<{ points: number; ready: string }>(
      `select points, (expire - $2::bigint + ${this.backoff('points', '$3')})::text as ready from rate_limits where key = $1`, [row, memory, freePerAccount]);
    const found = held.rows[0];
    // Forgotten in between (an unlock, a success): one more try is the owner's.
    if (!found) return this.passAccountBackoff(key);
    return { wait: Math.max(1, Math.ceil((Number(found.ready) - now) / 1000)), failures: found.points };
  }
}

function pairKeyOf(accountKeyValue: string, address: string, device?: string): string {
  return device ? `${accountKeyValue}:device:${device}` : `${accountKeyValue}:${address}`;
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
  connectionTests = new ConnectionTestLimiter(pool);
}

export function loginLimiter(kind: 'technician' | 'contact' = 'technician'): LoginLimiter {
  const limiter = limiters.get(kind);
  if (!limiter) throw new Error('rate limits not set up');
  return limiter;
}

/**
 * Forgot-password requests, per sign-in form: per address (tenant + email, whether or
 * not it exists) and per client address, so nobody floods a mailbox or probes at speed.
 */
export class ResetRequestLimiter {
  private readonly perAccount: RateLimiterPostgres;
  private readonly perAddress: RateLimiterPostgres;

  /** `prefix`: the portal's keys are `portal-reset:…` (as they always were), the technicians' `reset:…`. */
  constructor(pool: pg.Pool, accountPoints = 3, addressPoints = 20, prefix = 'portal-reset') {
    const common = { storeClient: pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, duration: 3600 };
    this.perAccount = new RateLimiterPostgres({ ...common, keyPrefix: `${prefix}:account`, points: accountPoints });
    this.perAddress = new RateLimiterPostgres({ ...common, keyPrefix: `${prefix}:address`, points: addressPoints });
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

const resetLimiters = new Map<'technician' | 'contact', ResetRequestLimiter>();

export function setUpResetLimiter(pool: pg.Pool): void {
  resetLimiters.set('contact', new ResetRequestLimiter(pool));
  resetLimiters.set('technician', new ResetRequestLimiter(pool, 3, 20, 'reset'));
}

export function resetRequestLimiter(form: 'technician' | 'contact' = 'contact'): ResetRequestLimiter {
  const limiter = resetLimiters.get(form);
  if (!limiter) throw new Error('rate limits not set up');
  return limiter;
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

/**
 * Test connection, per workspace: each test makes Sportello open a connection and
 * try a login somewhere, so it must not become a way to guess a mail account's
 * password from our address (20 tests in 10 minutes is plenty for setting one up).
 */
export class ConnectionTestLimiter {
  private readonly perTenant: RateLimiterPostgres;

  constructor(pool: pg.Pool, points = 20) {
    this.perTenant = new RateLimiterPostgres({ storeClient: pool, storeType: 'pool', tableName: 'rate_limits', tableCreated: true, duration: 600, keyPrefix: 'imap-test:tenant', points });
  }

  /** Counts a test; the seconds to wait when over the limit, else 0. */
  async consume(tenantId: number): Promise<number> {
    try {
      await this.perTenant.consume(String(tenantId));
      return 0;
    } catch (error) {
      if (error instanceof RateLimiterRes) return Math.ceil(error.msBeforeNext / 1000);
      throw error;
    }
  }
}

let connectionTests: ConnectionTestLimiter | undefined;

export function connectionTestLimiter(): ConnectionTestLimiter {
  if (!connectionTests) throw new Error('rate limits not set up');
  return connectionTests;
}
