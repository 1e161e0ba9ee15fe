// The two OAuth 2.0 providers a support mailbox can sign in with, as their published
// documents describe them: the endpoints of the authorization-code flow, the scopes that
// give IMAP access and a refresh token, and the IMAP server the token opens.
// - Microsoft identity platform, "OAuth 2.0 authorization code flow" and "Authenticate an
//   IMAP, POP or SMTP connection using OAuth" (scope IMAP.AccessAsUser.All of
//   https://outlook.office.com, offline_access for the refresh token, host outlook.office365.com).
// - Google, "Using OAuth 2.0 for Web Server Applications" (access_type=offline and
//   prompt=consent for a refresh token) and "OAuth 2.0 Mechanism" for IMAP (scope
//   https://mail.google.com/, host imap.gmail.com).
export const OAUTH_PROVIDERS = ['microsoft', 'google'] as const;
export type OauthProvider = (typeof OAUTH_PROVIDERS)[number];

export interface ProviderFacts {
  scope: string;
  /** The directory (Microsoft's tenant) when the app names none: any work or school account. */
  defaultDirectory: string | null;
  authorizeUrl(directory: string | null): string;
  tokenUrl(directory: string | null): string;
  /** Parameters the provider needs on the consent request to hand out a refresh token. */
  consentParams: Record<string, string>;
  imap: { host: string; port: number };
}

const microsoftBase = (directory: string | null) => `https://login.microsoftonline.com/${encodeURIComponent(directory ?? 'organizations')}/oauth2/v2.0`;

export const PROVIDERS: Record<OauthProvider, ProviderFacts> = {
  microsoft: {
    scope: 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access',
    defaultDirectory: 'organizations',
    authorizeUrl: (d) => `${microsoftBase(d)}/authorize`,
    tokenUrl: (d) => `${microsoftBase(d)}/token`,
    consentParams: { response_mode: 'query' },
    imap: { host: 'outlook.office365.com', port: 993 },
  },
  google: {
    scope: 'https://mail.google.com/',
    defaultDirectory: null,
    authorizeUrl: () => 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: () => 'https://oauth2.googleapis.com/token',
    consentParams: { access_type: 'offline', prompt: 'consent' },
    imap: { host: 'imap.gmail.com', port: 993 },
  },
};

export function isOauthProvider(value: unknown): value is OauthProvider {
  return typeof value === 'string' && (OAUTH_PROVIDERS as readonly string[]).includes(value);
}

/** Each provider's name, as a catalogue key (src/i18n/messages/<language>/oauthMail.ts). */
export const PROVIDER_WORDS: Record<OauthProvider, string> = { microsoft: 'oauthMail.providers.microsoft', google: 'oauthMail.providers.google' };
