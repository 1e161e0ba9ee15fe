// Typed environment, read once. A bad value ends the process at start with one
// line that names the variable and says why (see `loadConfig`).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const projectRoot = path.resolve(import.meta.dirname, import.meta.dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

const databaseUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
  } catch {
    return false;
  }
}, 'must look like postgres://user@host:5432/database');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: databaseUrl.optional(),
  APP_DOMAIN: z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, 'must be a host name, optionally with :port (e.g. helpdesk.example.com)').optional(),
  APP_SCHEME: z.enum(['http', 'https']).optional(),
  PORT: z.string().regex(/^\d{1,5}$/, 'must be a number (e.g. 3000)').default('3000').transform(Number),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  APP_SECRET_VERSION: z.string().regex(/^[1-9]\d{0,2}$/, 'must be a number from 1 (raise it by one with each new APP_SECRET)').default('1').transform(Number),
  APP_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters (the APP_SECRET before this one)').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_CAPTURE: z.enum(['0', '1'], { message: 'must be 1 (capture mail in DATA_DIR/outbox) or 0' }).optional(),
  MAIL_FROM: z.string().email('must be an email address').optional(),
  AGENDA_MONGODB_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb://').optional(),
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  DATA_DIR: z.string().optional(),
  EMBEDDED_PG_PORT: z.string().regex(/^\d{1,5}$/, 'must be a number').default('54329').transform(Number),
  TRUST_PROXY: z.string().regex(/^\d{1,2}$/, 'must be the number of proxies in front of Sportello (e.g. 1), or 0').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  IMAP_PRIVATE_HOSTS: z.enum(['0', '1'], { message: 'must be 1 (support mailboxes may be on this machine or a private network) or 0' }).optional(),
  // The operator's OAuth apps for Microsoft 365 and Google mailboxes (src/domain/mailbox/oauth-apps.ts).
  OAUTH_MICROSOFT_CLIENT_ID: z.string().max(200).optional(),
  OAUTH_MICROSOFT_CLIENT_SECRET: z.string().max(1000).optional(),
  OAUTH_MICROSOFT_TENANT: z.string().regex(/^[A-Za-z0-9.-]{1,100}$/, 'must be a directory (tenant) id or domain, or organizations / common').optional(),
  OAUTH_MICROSOFT_AUTHORIZE_URL: z.string().url('must be a URL').optional(),
  OAUTH_MICROSOFT_TOKEN_URL: z.string().url('must be a URL').optional(),
  OAUTH_GOOGLE_CLIENT_ID: z.string().max(200).optional(),
  OAUTH_GOOGLE_CLIENT_SECRET: z.string().max(1000).optional(),
  OAUTH_GOOGLE_AUTHORIZE_URL: z.string().url('must be a URL').optional(),
  OAUTH_GOOGLE_TOKEN_URL: z.string().url('must be a URL').optional(),
  ENTRA_LOGIN_URL: z.string().regex(/^https?:\/\/[^/?#]+\/?$/, 'must be a base URL such as https://login.microsoftonline.com (a national cloud has its own)').optional(),
  GRAPH_URL: z.string().regex(/^https?:\/\/[^/?#]+\/?$/, 'must be a base URL such as https://graph.microsoft.com (a national cloud has its own)').optional(),
});

export type Config = ReturnType<typeof buildConfig>;

function buildConfig(env: z.infer<typeof schema>) {
  const dataDir = path.resolve(env.DATA_DIR ?? path.join(projectRoot, '.data'));
  // Unset, the root host is localhost on the port we listen on (localhost:3000 by default).
  const appDomain = (env.APP_DOMAIN ?? `localhost:${env.PORT}`).toLowerCase();
  const hostOnly = appDomain.split(':')[0];
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    isTest: env.NODE_ENV === 'test',
    databaseUrl: env.DATABASE_URL,
    appDomain,
    scheme: env.APP_SCHEME ?? (env.NODE_ENV === 'production' ? 'https' : 'http'),
    port: env.PORT,
    secret: env.APP_SECRET ?? developmentSecret(dataDir, env.NODE_ENV),
    /** The secret's version (sealed values carry it), and the one before, still read after a rotation. */
    secretVersion: env.APP_SECRET_VERSION,
    previousSecret: env.APP_SECRET_PREVIOUS,
    smtpUrl: env.SMTP_URL,
    /** No SMTP server: each message is written to DATA_DIR/outbox (see `mailCapture`). */
    mailCapture: mailCapture(env),
    mailFrom: env.MAIL_FROM ?? `sportello@${hostOnly === 'localhost' ? 'localhost.localdomain' : hostOnly}`,
    agendaMongoUrl: env.AGENDA_MONGODB_URL,
    role: env.ROLE,
    dataDir,
    outboxDir: path.join(dataDir, 'outbox'),
    embeddedPgPort: env.EMBEDDED_PG_PORT,
    // No proxy is trusted unless the operator says one is there: a client connecting
    // directly could otherwise name any address it likes in X-Forwarded-For.
    trustProxy: env.TRUST_PROXY !== undefined ? Number(env.TRUST_PROXY) : 0,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    /** Microsoft Entra ID's token endpoint host and Microsoft Graph's (national clouds have others; tests use a stand-in). */
    entraLoginUrl: (env.ENTRA_LOGIN_URL ?? 'https://login.microsoftonline.com').replace(/\/$/, ''),
    graphUrl: (env.GRAPH_URL ?? 'https://graph.microsoft.com').replace(/\/$/, ''),
    // Whether a support mailbox may be on this machine or a private network. Off in
    // production: a workspace admin (anyone who signs up) could otherwise make Sportello
    // probe its own network through Test connection.
    imapPrivateHosts: env.IMAP_PRIVATE_HOSTS !== undefined ? env.IMAP_PRIVATE_HOSTS === '1' : env.NODE_ENV !== 'production',
    /** The operator's OAuth app a provider (a workspace may bring its own instead); unset URLs are the provider's public ones. */
    oauth: {
      microsoft: oauthApp(env.OAUTH_MICROSOFT_CLIENT_ID, env.OAUTH_MICROSOFT_CLIENT_SECRET, env.OAUTH_MICROSOFT_TENANT, env.OAUTH_MICROSOFT_AUTHORIZE_URL, env.OAUTH_MICROSOFT_TOKEN_URL, 'OAUTH_MICROSOFT'),
      google: oauthApp(env.OAUTH_GOOGLE_CLIENT_ID, env.OAUTH_GOOGLE_CLIENT_SECRET, undefined, env.OAUTH_GOOGLE_AUTHORIZE_URL, env.OAUTH_GOOGLE_TOKEN_URL, 'OAUTH_GOOGLE'),
    },
  };
}

function oauthApp(clientId: string | undefined, clientSecret: string | undefined, directory: string | undefined, authorizeUrl: string | undefined, tokenUrl: string | undefined, prefix: string) {
  if (!clientId && !clientSecret) return null;
  if (!clientId) throw new ConfigError(`${prefix}_CLIENT_ID`, `is required when ${prefix}_CLIENT_SECRET is set`);
  if (!clientSecret) throw new ConfigError(`${prefix}_CLIENT_SECRET`, `is required when ${prefix}_CLIENT_ID is set`);
  return { clientId, clientSecret, directory: directory ?? null, authorizeUrl: authorizeUrl ?? null, tokenUrl: tokenUrl ?? null };
}

/**
 * Captured mail holds the credentials it carries (a temporary password, a live
 * set-password link): outside development it must be asked for by name.
 */
function mailCapture(env: z.infer<typeof schema>): boolean {
  if (env.SMTP_URL) {
    if (env.MAIL_CAPTURE === '1') throw new ConfigError('MAIL_CAPTURE', 'cannot be 1 when SMTP_URL is set: choose one');
    return false;
  }
  if (env.NODE_ENV === 'production' && env.MAIL_CAPTURE !== '1') {
    throw new ConfigError('SMTP_URL', 'is required in production (or set MAIL_CAPTURE=1 to keep every message in DATA_DIR/outbox instead of sending it)');
  }
  return true;
}

function developmentSecret(dataDir: string, nodeEnv: string): string {
  if (nodeEnv === 'production') throw new ConfigError('APP_SECRET', 'is required in production');
  const file = path.join(dataDir, 'app-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, readonly why: string) {
    super(`${variable} ${why}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0]), issue.message.replace(/^Invalid input: /, ''));
  }
  return buildConfig(parsed.data);
}

let cached: Config | undefined;

/** The process's configuration; on a bad value, one clear line and exit 1. */
export function config(): Config {
  if (cached) return cached;
  try {
    cached = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.variable} ${error.why}.\n`);
      process.exit(1);
    }
    throw error;
  }
  return cached;
}
