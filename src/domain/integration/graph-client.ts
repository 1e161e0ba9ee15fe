// Microsoft Entra ID and Microsoft Graph, as Sportello reads them: an app-only access
// token by the OAuth 2.0 client-credentials grant (POST {login}/{directory}/oauth2/v2.0/token),
// then the directory's users (GET {graph}/v1.0/users, or a group's user members), page after
// page by @odata.nextLink, waiting out a 429 or 503 for as long as Retry-After says; and what
// changed since the last sync by the delta query (GET {graph}/v1.0/users/delta, from the
// @odata.deltaLink the last round ended with). A delta link Graph no longer knows (expired
// after its 7 days: 400 syncStateNotFound; or a synchronization reset: 410 Gone) is the
// problem 'deltaExpired', which the sync answers with a full read.
//
// Plain fetch rather than @azure/msal-node and @microsoft/microsoft-graph-client: MSAL
// insists on an https authority it can discover, so it cannot be pointed at the loopback
// stand-in the tests use (test/support/graph-stand-in.ts), and the two requests we make need
// no more than fetch gives. The hosts are settings (ENTRA_LOGIN_URL, GRAPH_URL) for national
// clouds. Every failure becomes a GraphProblem a person can act on; the secret and the token
// are never logged or put in an error.
import { config } from '../../config.js';

export type GraphProblem =
  | 'directoryNotFound' | 'applicationNotFound' | 'wrongSecret' | 'expiredSecret' | 'unauthorizedClient'
  | 'noPermission' | 'groupNotFound' | 'throttled' | 'unreachable' | 'deltaExpired' | 'unexpected';

export class GraphError extends Error {
  constructor(readonly problem: GraphProblem, detail: string) {
    super(`${problem}: ${detail}`);
  }
}

export interface Credentials { directoryId: string; clientId: string; secret: string }

/** The fields of a user we read ($select): Graph returns only these. */
export const USER_FIELDS = ['id', 'mail', 'userPrincipalName', 'givenName', 'surname', 'businessPhones', 'mobilePhone', 'accountEnabled'] as const;

export interface GraphUser {
  id: string;
  mail?: string | null;
  userPrincipalName?: string | null;
  givenName?: string | null;
  surname?: string | null;
  businessPhones?: string[] | null;
  mobilePhone?: string | null;
  accountEnabled?: boolean | null;
}

/** Waiting out throttling: at most this many tries, each no longer than MAX_WAIT seconds. */
const TRIES = 5;
const MAX_WAIT_SECONDS = 120;
/** Graph's largest page for /users. */
export const PAGE_SIZE = 999;
const TIMEOUT_MS = 30_000;

/** AADSTS codes (error_codes of the token endpoint's error body) and what they mean here. */
const AADSTS: Record<number, GraphProblem> = {
  90002: 'directoryNotFound', // tenant not found
  900023: 'directoryNotFound', // the tenant identifier is not valid
  700016: 'applicationNotFound', // application not found in the directory
  7000215: 'wrongSecret', // invalid client secret
  7000222: 'expiredSecret', // the client secret has expired
};

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new GraphError('unreachable', new URL(url).host);
  }
}

async function jsonOf(res: Response): Promise<Record<string, unknown>> {
  try {
    const body: unknown = await res.json();
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** An app-only token for Microsoft Graph, or the GraphError saying why not. */
export async function accessToken(credentials: Credentials): Promise<string> {
  const { entraLoginUrl, graphUrl } = config();
  const res = await send(`${entraLoginUrl}/${encodeURIComponent(credentials.directoryId)}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      client_id: credentials.clientId, client_secret: credentials.secret, scope: `${graphUrl}/.default`, grant_type: 'client_credentials',
    }),
  });
  const body = await jsonOf(res);
  if (res.ok && typeof body.access_token === 'string') return body.access_token;
  const codes = Array.isArray(body.error_codes) ? (body.error_codes as unknown[]).map(Number) : [];
  const known = codes.map((c) => AADSTS[c]).find(Boolean);
  const error = typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
  if (known) throw new GraphError(known, error);
  if (error === 'unauthorized_client') throw new GraphError('unauthorizedClient', error);
  if (error === 'invalid_client') throw new GraphError('wrongSecret', error);
  if (error === 'invalid_request' && res.status === 400) throw new GraphError('directoryNotFound', error);
  throw new GraphError('unexpected', error);
}

export interface ReaderOptions {
  /** How a wait is spent (tests may shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

/** Error codes of a delta token Graph no longer knows (besides 410 Gone). */
const DELTA_GONE = new Set(['syncStateNotFound', 'resyncRequired', 'syncStateInvalid']);

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds to wait from a Retry-After header (seconds, or an HTTP date); a few when there is none. */
function retryAfterSeconds(header: string | null, attempt: number): number {
  if (header) {
    const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - Date.now()) / 1000;
    if (Number.isFinite(seconds)) return Math.min(Math.max(seconds, 0), MAX_WAIT_SECONDS);
  }
  return Math.min(2 ** attempt, MAX_WAIT_SECONDS);
}

/** Reads Graph with one token: GET with throttling waited out, errors as GraphProblems. */
export class GraphReader {
  readonly #token: string;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly base = config().graphUrl;
  /** How many times a 429 or 503 was waited out (the report says so). */
  throttled = 0;

  constructor(token: string, options: ReaderOptions = {}) {
    this.#token = token;
    this.#sleep = options.sleep ?? pause;
  }

  async get(url: string, notFound: GraphProblem = 'unexpected'): Promise<Record<string, unknown>> {
    // The token goes only to Graph: a nextLink elsewhere is not followed.
    if (!url.startsWith(`${this.base}/`)) throw new GraphError('unexpected', 'a link outside Microsoft Graph');
    for (let attempt = 1; ; attempt++) {
      const res = await send(url, { headers: { Authorization: `Bearer ${this.#token}`, Accept: 'application/json' } });
      if (res.ok) return jsonOf(res);
      const body = await jsonOf(res);
      const code = String((body.error as { code?: unknown } | undefined)?.code ?? `HTTP ${res.status}`);
      if ((res.status === 429 || res.status === 503) && attempt < TRIES) {
        this.throttled += 1;
        await this.#sleep(retryAfterSeconds(res.headers.get('retry-after'), attempt) * 1000);
        continue;
      }
      if (res.status === 429 || res.status === 503) throw new GraphError('throttled', code);
      // The delta token is no longer valid: a full sync is needed (delta-query-overview).
      if (res.status === 410 || DELTA_GONE.has(code)) throw new GraphError('deltaExpired', code);
      if (res.status === 401 || res.status === 403) throw new GraphError('noPermission', code);
      if (res.status === 404) throw new GraphError(notFound, code);
      throw new GraphError('unexpected', code);
    }
  }

  /** The first page's address: the users of the directory, or the user members of one group. */
  usersUrl(groupId: string | null | undefined, top = PAGE_SIZE): string {
    const query = `$select=${USER_FIELDS.join(',')}&$top=${top}`;
    return groupId
      ? `${this.base}/v1.0/groups/${encodeURIComponent(groupId)}/members/microsoft.graph.user?${query}`
      : `${this.base}/v1.0/users?${query}`;
  }

  /** "Sync from now": the delta link of the users as they are now (asked before a full read, so that nothing changed during it is missed). */
  async latestDeltaLink(): Promise<string> {
    let url: string | undefined = `${this.base}/v1.0/users/delta?$select=${USER_FIELDS.join(',')}&$deltatoken=latest`;
    while (url) {
      const page = await this.get(url);
      if (typeof page['@odata.deltaLink'] === 'string') return page['@odata.deltaLink'];
      url = typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'] : undefined;
    }
    throw new GraphError('unexpected', 'no deltaLink');
  }

  /**
   * What changed since `deltaLink`, a page at a time: users added or changed (whole, as
   * selected) and the ids of users deleted ("@removed"). The last page brings the next
   * round's delta link, returned at the end.
   */
  async *delta(deltaLink: string): AsyncGenerator<{ users: GraphUser[]; removed: string[] }, string> {
    let url: string | undefined = deltaLink;
    while (url) {
      const page = await this.get(url);
      const value = (Array.isArray(page.value) ? page.value : []).filter((u): u is GraphUser & { '@removed'?: unknown } => Boolean(u) && typeof u === 'object' && typeof (u as GraphUser).id === 'string');
      yield { users: value.filter((u) => !u['@removed']), removed: value.filter((u) => u['@removed']).map((u) => u.id) };
      if (typeof page['@odata.deltaLink'] === 'string') return page['@odata.deltaLink'];
      url = typeof page['@odata.nextLink'] === 'string' ? page['@odata.nextLink'] : undefined;
    }
    throw new GraphError('unexpected', 'no deltaLink');
  }

  /** Every user, a page at a time, following @odata.nextLink to the last page. */
  async *users(groupId?: string | null): AsyncGenerator<GraphUser[]> {
    let url: string | undefined = this.usersUrl(groupId);
    while (url) {
      const page = await this.get(url, groupId ? 'groupNotFound' : 'unexpected');
      const value = Array.isArray(page.value) ? (page.value as GraphUser[]) : [];
      yield value.filter((u) => u && typeof u === 'object');
      const next = page['@odata.nextLink'];
      url = typeof next === 'string' ? next : undefined;
    }
  }
}
