// An IMAP failure as a code a person can act on (the words are looked up where they are shown, in the reader's language).
export type ImapProblem = 'password_unreadable' | 'private_address' | 'host_not_found' | 'connection_refused' | 'timeout' | 'tls_failed' | 'login_failed' | 'folder_missing' | 'oauth_reconnect' | 'oauth_unreachable' | 'unexpected';

export function imapProblem(error: unknown): ImapProblem {
  const e = error as { code?: string; authenticationFailed?: boolean; mailboxMissing?: boolean; serverResponseCode?: string; message?: string };
  const code = String(e?.code ?? '');
  if (code === 'PRIVATE_ADDRESS') return 'private_address';
  if (e?.authenticationFailed || code === 'AUTHENTICATIONFAILED' || e?.serverResponseCode === 'AUTHENTICATIONFAILED') return 'login_failed';
  if (e?.mailboxMissing || e?.serverResponseCode === 'NONEXISTENT') return 'folder_missing';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host_not_found';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'connection_refused';
  if (code === 'ETIMEDOUT' || code === 'ETIMEOUT' || code === 'CONNECT_TIMEOUT' || code === 'GREETING_TIMEOUT' || /timed? ?out/i.test(String(e?.message))) return 'timeout';
  if (/^ERR_TLS|^ERR_SSL|CERT|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO/.test(code) || /ssl|tls|certificate/i.test(String(e?.message))) return 'tls_failed';
  return 'unexpected';
}

/** Each problem's words, as a catalogue key (src/i18n/messages/<language>/emailSettings.ts): where it is shown, the reader's language says it. */
export const IMAP_PROBLEM_WORDS: Record<ImapProblem, string> = {
  password_unreadable: 'emailSettings.mailboxes.problems.passwordUnreadable',
  private_address: 'emailSettings.mailboxes.problems.privateAddress',
  host_not_found: 'emailSettings.mailboxes.problems.hostNotFound',
  connection_refused: 'emailSettings.mailboxes.problems.connectionRefused',
  timeout: 'emailSettings.mailboxes.problems.timeout',
  tls_failed: 'emailSettings.mailboxes.problems.tlsFailed',
  login_failed: 'emailSettings.mailboxes.problems.loginFailed',
  folder_missing: 'emailSettings.mailboxes.problems.folderMissing',
  oauth_reconnect: 'oauthMail.problems.reconnect',
  oauth_unreachable: 'oauthMail.problems.unreachable',
  unexpected: 'emailSettings.mailboxes.problems.unexpected',
};
