// An IMAP failure as a code a person can act on (the words are looked up where they are shown).
export type ImapProblem = 'password_unreadable' | 'private_address' | 'host_not_found' | 'connection_refused' | 'timeout' | 'tls_failed' | 'login_failed' | 'folder_missing' | 'unexpected';

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

/** English words for now; the catalogues take them over (issue 10). */
export const IMAP_PROBLEM_WORDS: Record<ImapProblem, string> = {
  password_unreadable: 'The saved password can no longer be read (the server secret has changed): type the password again.',
  private_address: 'This host is on a private network or this machine: Sportello connects only to mail servers on the internet.',
  host_not_found: 'Host not found: check the IMAP host name.',
  connection_refused: 'Connection refused: check the port, and that the server accepts IMAP connections from here.',
  timeout: 'The server did not answer in time: check the host, the port and any firewall.',
  tls_failed: 'The secure connection failed: check the TLS mode (TLS on 993, STARTTLS on 143) and the server certificate.',
  login_failed: 'Wrong username or password.',
  folder_missing: 'The folder does not exist on the server.',
  unexpected: 'The server answered in a way Sportello did not expect.',
};
