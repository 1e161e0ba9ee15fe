// A loop: mail from one of our own addresses, or carrying one of our own
// Message-IDs as its own (our message come back). Dropped, and logged.
import { readMessageId } from '../../outbound/message-ids.js';
import type { MailFilter } from './types.js';

export const loop: MailFilter = (mail, { ownAddresses }) => {
  if (mail.from && ownAddresses.has(mail.from.address)) return { kind: 'loop', reason: 'own-address' };
  if (readMessageId(mail.messageId).kind === 'ours') return { kind: 'loop', reason: 'own-message-id' };
  return undefined;
};
