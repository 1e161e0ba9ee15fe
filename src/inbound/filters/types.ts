// What the classifying filters say of a message, and what they may look at.
import type { InboundMail } from '../parse.js';

export type MailClass =
  | { kind: 'loop'; reason: 'own-address' | 'own-message-id' }
  | { kind: 'bounce'; originalMessageId: string | null; recipient: string | null }
  | { kind: 'auto-reply'; reason: string }
  | { kind: 'automated'; reason: string }
  | { kind: 'ordinary' };

export interface ClassifyContext {
  /** The tenant's support addresses and Sportello's own sender, lower-case. */
  ownAddresses: Set<string>;
}

/** A filter answers with a class, or undefined to let the next one look. */
export type MailFilter = (mail: InboundMail, context: ClassifyContext) => MailClass | undefined;

export const header = (mail: InboundMail, name: string): string => (mail.headers.get(name) ?? '').trim();
