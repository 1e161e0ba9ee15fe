// The classifying filters, in order: the first that recognises the message decides.
import { loop } from './filters/01-loop.js';
import { bounce } from './filters/02-bounce.js';
import { autoReply } from './filters/03-auto-reply.js';
import { automated } from './filters/04-automated.js';
import type { ClassifyContext, MailClass, MailFilter } from './filters/types.js';
import type { InboundMail } from './parse.js';

export type { MailClass } from './filters/types.js';

const FILTERS: MailFilter[] = [loop, bounce, autoReply, automated];

export function classify(mail: InboundMail, context: ClassifyContext): MailClass {
  for (const filter of FILTERS) {
    const verdict = filter(mail, context);
    if (verdict) return verdict;
  }
  return { kind: 'ordinary' };
}

/** Automatic mail never causes automatic mail (RFC 3834). */
export const isAutomatic = (c: MailClass): boolean => c.kind !== 'ordinary';
