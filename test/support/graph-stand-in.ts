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
// Not modelled: token expiry, $filter, $count, delta queries, certificates.
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
}

export interface GraphStandIn {
  url: string;
  directories: Map<string, StandInDirectory>;
  /** Answer the next `count` Graph requests with 429 and this Retry-After (seconds). */
  throttle(count: number, retryAfter?: number): void;
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
    const page = users.slice(skip, skip + size).map((u) => {
      const full: Record<string, unknown> = { businessPhones: [], givenName: null, surname: null, mail: null, mobilePhone: null, accountEnabled: true, ...u };
      // Without $select Graph returns its default set (accountEnabled is not in it).
      const fields = select ?? ['id', 'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'];
      return Object.fromEntries(fields.map((f) => [f, full[f] ?? null]));
    });
    const body: Record<string, unknown> = { '@odata.context': `${base}/v1.0/$metadata#users`, value: page };
    if (skip + size < users.length) {
      const next = new URL(url.href);
      next.searchParams.set('$skiptoken', Buffer.from(String(skip + size)).toString('base64url'));
      body['@odata.nextLink'] = next.href;
    }
    return send(res, 200, body);
  };

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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
