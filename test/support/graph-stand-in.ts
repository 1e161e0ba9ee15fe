// A stand-in for Microsoft Entra ID's token endpoint and Microsoft Graph's user listing,
// on loopback, for the tests: Microsoft cannot be reached from these machines. It is the
// only part of the suite that is not the real service (README, "Microsoft Entra ID").
//
// Written from Microsoft's published references:
//  - OAuth 2.0 client credentials grant, access token request with a shared secret and its
//    error response (error, error_description, error_codes; invalid_client, unauthorized_client):
//    https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
//  - AADSTS codes: 7000215 invalid client secret, 7000222 expired client secret, 700016
//    application not found in the directory, 90002 tenant not found:
//    https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes and
//    https://learn.microsoft.com/en-us/azure/developer/java/sdk/troubleshooting-authentication-service-principal
//  - List users (GET /v1.0/users, $select, $top of 1 to 999, default page 100, application
//    permission User.Read.All): https://learn.microsoft.com/en-us/graph/api/user-list
//  - List group members (GET /v1.0/groups/{id}/members/microsoft.graph.user):
//    https://learn.microsoft.com/en-us/graph/api/group-list-members
//  - Paging by @odata.nextLink (an absolute URL with an opaque $skiptoken, followed as is):
//    https://learn.microsoft.com/en-us/graph/paging
//  - Throttling: 429 Too Many Requests with Retry-After in seconds:
//    https://learn.microsoft.com/en-us/graph/throttling
//  - Error bodies { error: { code, message, innerError } }: InvalidAuthenticationToken (401),
//    Authorization_RequestDenied (403), Request_ResourceNotFound (404):
//    https://learn.microsoft.com/en-us/graph/errors
//  - Delta query of users (GET /v1.0/users/delta): query parameters ($select) only on the
//    first request, encoded in the opaque state tokens; pages by @odata.nextLink ($skiptoken)
//    until a last page with @odata.deltaLink ($deltatoken); $deltatoken=latest answers a
//    deltaLink and no users ("sync from now"); a changed user comes back whole (the selected
//    properties, without Prefer: return=minimal), a deleted one as its id and
//    "@removed": { "reason": "changed" } (restorable) or "deleted" (permanently):
//    https://learn.microsoft.com/en-us/graph/api/user-delta,
//    https://learn.microsoft.com/en-us/graph/delta-query-users and
//    https://learn.microsoft.com/en-us/graph/delta-query-overview
//  - A delta token no longer valid: 400 with code syncStateNotFound ("The sync state generation
//    is not found. The delta token is expired and data must be synchronized again.", as after
//    its 7 days), or a synchronization reset: 410 Gone with a Location header holding the
//    initial request (delta-query-overview, "Synchronization reset" and "Token duration").
// Not modelled: token expiry, $filter, $count, $top on delta, replication delays, certificates.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface StandInUser {
  id?: string;
  mail?: string | null;
  userPrincipalName: string;
  givenName?: string | null;
  surname?: string | null;
  businessPhones?: string[];
  mobilePhone?: string | null;
  accountEnabled?: boolean;
  /** Fields Graph has but we do not ask for: they must not come back unless selected. */
  displayName?: string;
  jobTitle?: string;
}

export interface StandInApp { secret: string; expired?: boolean; /** User.Read.All granted (admin consent). */ permission?: boolean }

export interface StandInDirectory {
  apps: Record<string, StandInApp>;
  users: StandInUser[];
  groups?: Record<string, string[]>;
  /** The largest page the server gives, whatever $top asks (server-side paging). */
  pageSize?: number;
  /** Users deleted permanently (not restorable): their @removed says "deleted". */
  purged?: string[];
}

export interface GraphStandIn {
  url: string;
  directories: Map<string, StandInDirectory>;
  /** Answer the next `count` Graph requests with 429 and this Retry-After (seconds). */
  throttle(count: number, retryAfter?: number): void;
  /** Makes every delta token given so far unusable: 'expired' (400 syncStateNotFound) or 'reset' (410 Gone). */
  expireDeltaTokens(how?: 'expired' | 'reset'): void;
  /** Every request: method, path and query, the form fields' names (never their values). */
  requests: { method: string; url: string; fields?: string[]; authorization?: string }[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function tokenError(res: ServerResponse, status: number, error: string, code: number, description: string) {
  const traceId = randomUUID();
  send(res, status, {
    error, error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [code], timestamp: new Date().toISOString(), trace_id: traceId, correlation_id: randomUUID(),
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

function graphError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  send(res, status, { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } }, headers);
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startGraphStandIn(): Promise<GraphStandIn> {
  const directories = new Map<string, StandInDirectory>();
  const tokens = new Map<string, { directory: StandInDirectory; clientId: string }>();
  const requests: GraphStandIn['requests'] = [];
  let throttled = 0;
  let retryAfter = 1;
  let base = '';
  /** A delta token's state: the directory's users as they were (their selected fields), and what was selected. */
  const deltaStates = new Map<string, { directory: StandInDirectory; seen: Map<string, string>; select?: string[] }>();
  /** A round of delta pages being read ($skiptoken): what is left to give, and the state its deltaLink will hold. */
  const deltaRounds = new Map<string, { items: Record<string, unknown>[]; next: { directory: StandInDirectory; seen: Map<string, string>; select?: string[] } }>();
  let gone: 'expired' | 'reset' | undefined;
  const expired = new Set<string>();

  const DEFAULT_FIELDS = ['id', 'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'];
  const shape = (u: StandInUser, select?: string[]) => {
    const full: Record<string, unknown> = { businessPhones: [], givenName: null, surname: null, mail: null, mobilePhone: null, accountEnabled: true, ...u };
    // Without $select Graph returns its default set (accountEnabled is not in it); id always.
    const fields = select ? [...new Set(['id', ...select])] : DEFAULT_FIELDS;
    return Object.fromEntries(fields.map((f) => [f, full[f] ?? null]));
  };
  const snapshotOf = (directory: StandInDirectory, select?: string[]) => new Map(directory.users.map((u) => [u.id ?? '', JSON.stringify(shape(u, select))]));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const authorization = req.headers.authorization;
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];

    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (tokenPath && req.method === 'POST') {
      const form = new URLSearchParams(await bodyOf(req));
      requests.push({ method: 'POST', url: url.pathname, fields: [...form.keys()] });
      const tenant = decodeURIComponent(tokenPath[1]);
      if (form.get('grant_type') !== 'client_credentials') return tokenError(res, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
      if (!/\/\.default$/.test(form.get('scope') ?? '')) return tokenError(res, 400, 'invalid_scope', 1002012, 'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.');
      const directory = directories.get(tenant.toLowerCase());
      if (!directory) return tokenError(res, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
      const clientId = form.get('client_id') ?? '';
      const app = directory.apps[clientId];
      if (!app) return tokenError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
      if (!form.get('client_secret')) return tokenError(res, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
      if (form.get('client_secret') !== app.secret) return tokenError(res, 401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
      if (app.expired) return tokenError(res, 401, 'invalid_client', 7000222, `The provided client secret keys for app '${clientId}' are expired.`);
      const accessToken = randomBytes(24).toString('base64url');
      tokens.set(accessToken, { directory, clientId });
      return send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
    }

    requests.push({ method: req.method ?? 'GET', url: `${url.pathname}${url.search}`, authorization: authorization ? 'Bearer …' : undefined });
    if (!url.pathname.startsWith('/v1.0/')) return graphError(res, 400, 'BadRequest', 'Invalid version.');
    if (!token) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const holder = tokens.get(token);
    if (!holder) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    if (throttled > 0) {
      throttled -= 1;
      return graphError(res, 429, 'TooManyRequests', 'Too many requests from Identifier under category throttle.aad.ags. Please try again later.', { 'Retry-After': String(retryAfter) });
    }
    if (!holder.directory.apps[holder.clientId].permission) return graphError(res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

    if (url.pathname === '/v1.0/users/delta' || url.pathname === '/v1.0/users/microsoft.graph.delta') return delta(url, holder.directory, res);

    let users: StandInUser[];
    const group = /^\/v1\.0\/groups\/([^/]+)\/members(\/microsoft\.graph\.user)?$/.exec(url.pathname);
    if (url.pathname === '/v1.0/users') users = holder.directory.users;
    else if (group) {
      const members = holder.directory.groups?.[decodeURIComponent(group[1])];
      if (!members) return graphError(res, 404, 'Request_ResourceNotFound', `Resource '${decodeURIComponent(group[1])}' does not exist or one of its queried reference-property objects are not present.`);
      users = holder.directory.users.filter((u) => members.includes(u.id ?? ''));
    } else return graphError(res, 400, 'Request_BadRequest', `Unsupported segment in ${url.pathname}.`);

    const top = url.searchParams.has('$top') ? Number(url.searchParams.get('$top')) : 100;
    if (!Number.isInteger(top) || top < 1 || top > 999) return graphError(res, 400, 'Request_UnsupportedQuery', `Invalid page size specified: '${url.searchParams.get('$top')}'. Must be between 1 and 999 inclusive.`);
    const size = Math.min(top, holder.directory.pageSize ?? 100);
    const skip = url.searchParams.has('$skiptoken') ? Number(Buffer.from(url.searchParams.get('$skiptoken')!, 'base64url').toString()) : 0;
    const select = url.searchParams.get('$select')?.split(',').map((f) => f.trim()).filter(Boolean);
    const page = users.slice(skip, skip + size).map((u) => shape(u, select));
    const body: Record<string, unknown> = { '@odata.context': `${base}/v1.0/$metadata#users`, value: page };
    if (skip + size < users.length) {
      const next = new URL(url.href);
      next.searchParams.set('$skiptoken', Buffer.from(String(skip + size)).toString('base64url'));
      body['@odata.nextLink'] = next.href;
    }
    return send(res, 200, body);
  };

  /** GET /v1.0/users/delta: a round of changes since a delta token (or every user, or none with $deltatoken=latest). */
  function delta(url: URL, directory: StandInDirectory, res: ServerResponse) {
    const skipToken = url.searchParams.get('$skiptoken');
    const deltaToken = url.searchParams.get('$deltatoken') ?? url.searchParams.get('$deltaToken');
    const issue = (next: { directory: StandInDirectory; seen: Map<string, string>; select?: string[] }) => {
      const token = randomBytes(18).toString('base64url');
      deltaStates.set(token, next);
      return `${base}/v1.0/users/delta?$deltatoken=${token}`;
    };
    let roundToken: string;
    if (skipToken) {
      if (!deltaRounds.has(skipToken)) return graphError(res, 400, 'Request_BadRequest', 'The skip token is not valid.');
      roundToken = skipToken;
    } else if (deltaToken && deltaToken !== 'latest') {
      const state = deltaStates.get(deltaToken);
      if (expired.has(deltaToken) && gone === 'reset') {
        return graphError(res, 410, 'resyncRequired', 'Resync required. Replace any local cached data with the data of a new initial delta query.', { Location: `${base}/v1.0/users/delta` });
      }
      if (!state || expired.has(deltaToken) || state.directory !== directory) {
        return graphError(res, 400, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.');
      }
      // What changed since the token: users added or changed, whole; users gone, @removed.
      const now = snapshotOf(directory, state.select);
      const items: Record<string, unknown>[] = [];
      for (const u of directory.users) {
        const seen = now.get(u.id ?? '')!;
        if (state.seen.get(u.id ?? '') !== seen) items.push(JSON.parse(seen) as Record<string, unknown>);
      }
      for (const id of state.seen.keys()) {
        if (!now.has(id)) items.push({ id, '@removed': { reason: directory.purged?.includes(id) ? 'deleted' : 'changed' } });
      }
      roundToken = randomBytes(18).toString('base64url');
      deltaRounds.set(roundToken, { items, next: { directory, seen: now, select: state.select } });
    } else {
      const select = url.searchParams.get('$select')?.split(',').map((f) => f.trim()).filter(Boolean);
      const now = snapshotOf(directory, select);
      // Sync from now: the deltaLink only.
      if (deltaToken === 'latest') return send(res, 200, { '@odata.context': `${base}/v1.0/$metadata#users`, '@odata.deltaLink': issue({ directory, seen: now, select }), value: [] });
      roundToken = randomBytes(18).toString('base64url');
      deltaRounds.set(roundToken, { items: [...now.values()].map((v) => JSON.parse(v) as Record<string, unknown>), next: { directory, seen: now, select } });
    }
    const round = deltaRounds.get(roundToken)!;
    const size = directory.pageSize ?? 100;
    const value = round.items.splice(0, size);
    const body: Record<string, unknown> = { '@odata.context': `${base}/v1.0/$metadata#users`, value };
    if (round.items.length > 0) body['@odata.nextLink'] = `${base}/v1.0/users/delta?$skiptoken=${roundToken}`;
    else {
      deltaRounds.delete(roundToken);
      body['@odata.deltaLink'] = issue(round.next);
    }
    return send(res, 200, body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => graphError(res, 500, 'generalException', 'The stand-in failed.'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base, directories, requests,
    throttle(count, seconds = 1) {
      throttled = count;
      retryAfter = seconds;
    },
    expireDeltaTokens(how = 'expired') {
      for (const token of deltaStates.keys()) expired.add(token);
      gone = how;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
