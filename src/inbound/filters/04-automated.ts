// Automated mail (monitoring alerts, notifications, newsletters): Auto-Submitted
// other than "no", Precedence bulk/junk/list, list headers, X-Auto-Response-Suppress.
// It makes tickets when the tenant allows it, and is never answered automatically.
import { header, type MailFilter } from './types.js';

export const automated: MailFilter = (mail) => {
  const submitted = header(mail, 'auto-submitted').toLowerCase();
  if (submitted && !submitted.startsWith('no')) return { kind: 'automated', reason: 'auto-submitted' };
  if (/^(bulk|junk|list)\b/i.test(header(mail, 'precedence'))) return { kind: 'automated', reason: 'precedence' };
  for (const name of ['list-unsubscribe', 'list-id', 'x-auto-response-suppress']) if (mail.headers.has(name)) return { kind: 'automated', reason: name };
  return undefined;
};
