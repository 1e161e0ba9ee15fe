// An automatic reply (RFC 3834 Auto-Submitted: auto-replied, the X-Autoreply family,
// out-of-office subjects in English and Italian): added to the ticket it answers
// without reopening it, never answered.
import { header, type MailFilter } from './types.js';

const SUBJECTS = /^(?:(?:re|r|aw|antw):\s*)?(?:out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?reply|autoreply|risposta automatica|fuori sede|fuori ufficio|assente|abwesenheitsnotiz|réponse automatique)\b/i;

export const autoReply: MailFilter = (mail) => {
  if (/^auto-replied/i.test(header(mail, 'auto-submitted'))) return { kind: 'auto-reply', reason: 'auto-submitted' };
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) if (mail.headers.has(name)) return { kind: 'auto-reply', reason: name };
  if (SUBJECTS.test(mail.subject)) return { kind: 'auto-reply', reason: 'subject' };
  return undefined;
};
