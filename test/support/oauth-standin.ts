// A stand-in OAuth 2.0 authorization server on loopback — the one part of the mail tests
// that is not the real service (no provider can be reached from the test machines). It
// is written from the published protocol documents, and speaks as Microsoft's identity
// platform and Google do where they are alike:
// - RFC 6749 (OAuth 2.0): §4.1 the authorization-code grant (authorize → redirect with
//   `code` and `state`, or `error`), §4.1.3 the token request, §5.1 the token response
//   (access_token, token_type Bearer, expires_in, refresh_token), §5.2 error responses
//   (400, `error` = invalid_grant / invalid_client / invalid_request /
//   unsupported_grant_type, `error_description`), §6 refreshing an access token.
// - RFC 7636 (PKCE): §4.3 code_challenge with method S256, §4.6 the server checks
//   BASE64URL(SHA256(code_verifier)) == code_challenge and refuses with invalid_grant.
// - RFC 7662 (Token Introspection): §2.1 POST `token=…` form-encoded, §2.2 the answer
//   `{ active, username, scope, exp, client_id }`, `{ active: false }` for a token that
//   is unknown, expired or revoked. Dovecot's oauth2 passdb (introspection_mode = post,
//   username_attribute = username, active_attribute = active) validates XOAUTH2 logins
//   against it, so IMAP AUTHENTICATE XOAUTH2 is real.
// - Microsoft identity platform, "OAuth 2.0 authorization code flow": /{tenant}/oauth2/v2.0/
//   authorize and /token, client_secret in the body, the refresh token rotated on each
//   refresh, AADSTS reasons in error_description (AADSTS70008 expired, AADSTS50173 revoked).
// - Google, "Using OAuth 2.0 for Web Server Applications": access_type=offline and
//   prompt=consent for a refresh token, `invalid_grant` "Token has been expired or revoked."
// The consent screen is skipped: GET /authorize answers at once as if `user` had agreed
// (or with ?deny, access_denied), as the test's browser would see after consenting.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInClient { clientId: string; clientSecret: string; redirectUri: string }
interface Code { clientId: string; redirectUri: string; challenge: string; method: string; scope: string; user: string; expiresAt: number; used: boolean }
interface Grant { clientId: string; user: string; scope: string; revoked: boolean; reason?: string }
interface Access { user: string; scope: string; clientId: string; expiresAt: number }

export class OAuthStandIn {
  port = 0;
  /** Who consents at /authorize. */
  user = '';
  /** Seconds an access token lives (a test sets it low to see the refresh). */
  accessTtl = 3600;
  /** Whether a refresh hands out a new refresh token (Microsoft rotates them). */
  rotateRefreshTokens = true;
  readonly clients = new Map<string, StandInClient>();
  readonly requests: Array<{ path: string; params: Record<string, string> }> = [];
  /** Every access and refresh token handed out (a test checks none is stored or logged as it is). */
  readonly issued: string[] = [];
  private codes = new Map<string, Code>();
  private grants = new Map<string, Grant>();
  private tokens = new Map<string, Access>();
  private server?: Server;

  get url(): string { return `http://127.0.0.1:${this.port}`; }
  get authorizeUrl(): string { return `${this.url}/authorize`; }
  get tokenUrl(): string { return `${this.url}/token`; }
  get introspectionUrl(): string { return `${this.url}/introspect`; }

  addClient(client: StandInClient): void { this.clients.set(client.clientId, client); }

  async start(): Promise<void> {
    this.server = createServer((req, res) => { this.handle(req, res).catch(() => { res.statusCode = 500; res.end(); }); });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The user revokes the app's access (or an admin does): its refresh tokens stop working. */
  revokeAll(reason = 'AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.'): void {
    for (const grant of this.grants.values()) Object.assign(grant, { revoked: true, reason });
    this.tokens.clear();
  }

  /** Every access token handed out expires now (as if its hour had passed). */
  expireAccessTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const params = req.method === 'POST' ? Object.fromEntries(new URLSearchParams(await body(req))) : Object.fromEntries(url.searchParams);
    this.requests.push({ path: url.pathname, params });
    if (req.method === 'GET' && url.pathname === '/authorize') return this.authorize(params, res);
    if (req.method === 'POST' && url.pathname === '/token') return this.token(params, res);
    if (req.method === 'POST' && url.pathname === '/introspect') return this.introspect(params, res);
    res.statusCode = 404;
    res.end();
  }

  /** RFC 6749 §4.1.1–4.1.2: a bad client or redirect URI is never redirected to (§4.1.2.1). */
  private authorize(p: Record<string, string>, res: ServerResponse): void {
    const client = this.clients.get(p.client_id ?? '');
    if (!client || p.redirect_uri !== client.redirectUri) {
      res.statusCode = 400;
      res.end('unknown client or redirect_uri');
      return;
    }
    const back = new URL(client.redirectUri);
    if (p.state !== undefined) back.searchParams.set('state', p.state);
    if (p.response_type !== 'code') back.searchParams.set('error', 'unsupported_response_type');
    else if (!p.code_challenge || p.code_challenge_method !== 'S256') Object.entries({ error: 'invalid_request', error_description: 'PKCE required: code_challenge with S256' }).forEach(([k, v]) => back.searchParams.set(k, v));
    else if ('deny' in p) Object.entries({ error: 'access_denied', error_description: 'The user declined to consent.' }).forEach(([k, v]) => back.searchParams.set(k, v));
    else {
      const code = randomBytes(24).toString('base64url');
      this.codes.set(code, { clientId: client.clientId, redirectUri: p.redirect_uri, challenge: p.code_challenge, method: p.code_challenge_method, scope: p.scope ?? '', user: this.user, expiresAt: Date.now() + 600_000, used: false });
      back.searchParams.set('code', code);
    }
    res.statusCode = 302;
    res.setHeader('Location', back.toString());
    res.end();
  }

  private token(p: Record<string, string>, res: ServerResponse): void {
    const fail = (error: string, description: string, status = 400) => json(res, status, { error, error_description: description });
    const client = this.clients.get(p.client_id ?? '');
    if (!client || client.clientSecret !== p.client_secret) return fail('invalid_client', 'Client authentication failed.', 401);
    if (p.grant_type === 'authorization_code') {
      const code = this.codes.get(p.code ?? '');
      if (!code || code.used || code.expiresAt < Date.now() || code.clientId !== client.clientId) return fail('invalid_grant', 'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.');
      code.used = true;
      if (p.redirect_uri !== code.redirectUri) return fail('invalid_grant', 'redirect_uri does not match the authorization request.');
      const challenge = createHash('sha256').update(p.code_verifier ?? '').digest('base64url');
      if (!p.code_verifier || challenge !== code.challenge) return fail('invalid_grant', 'PKCE verification failed: code_verifier does not match code_challenge.');
      return json(res, 200, this.issue(client.clientId, code.user, code.scope, null));
    }
    if (p.grant_type === 'refresh_token') {
      const grant = this.grants.get(p.refresh_token ?? '');
      if (!grant || grant.clientId !== client.clientId) return fail('invalid_grant', 'Token has been expired or revoked.');
      if (grant.revoked) return fail('invalid_grant', grant.reason ?? 'Token has been expired or revoked.');
      return json(res, 200, this.issue(client.clientId, grant.user, grant.scope, this.rotateRefreshTokens ? p.refresh_token : undefined));
    }
    return fail('unsupported_grant_type', `grant_type ${p.grant_type ?? '(none)'} is not supported.`);
  }

  /** RFC 6749 §5.1; `rotate` is the refresh token being replaced (undefined: it is kept, none is sent). */
  private issue(clientId: string, user: string, scope: string, rotate: string | null | undefined): Record<string, unknown> {
    const accessToken = randomBytes(24).toString('base64url');
    this.tokens.set(accessToken, { user, scope, clientId, expiresAt: Date.now() + this.accessTtl * 1000 });
    this.issued.push(accessToken);
    const answer: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: this.accessTtl, scope };
    if (rotate !== undefined) {
      if (rotate) this.grants.delete(rotate);
      const refresh = randomBytes(24).toString('base64url');
      this.grants.set(refresh, { clientId, user, scope, revoked: false });
      answer.refresh_token = refresh;
      this.issued.push(refresh);
    }
    return answer;
  }

  /** RFC 7662 §2: what Dovecot asks at each XOAUTH2 login. */
  private introspect(p: Record<string, string>, res: ServerResponse): void {
    const t = this.tokens.get(p.token ?? '');
    if (!t || t.expiresAt <= Date.now()) return json(res, 200, { active: false });
    json(res, 200, { active: true, username: t.user, scope: t.scope, client_id: t.clientId, token_type: 'Bearer', exp: Math.floor(t.expiresAt / 1000) });
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(value));
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
