// Form validation: errors keyed by field, shown next to the field on a 422. The domain
// raises them as messages (catalogue keys with their parameters, src/i18n); the door that
// answers translates them for its reader (`shownErrors`).
import type { Message, T } from '../i18n/translate.js';
import { say } from '../i18n/translate.js';

export type { Message } from '../i18n/translate.js';

export type FieldErrors = Record<string, Message>;

/** Field errors in the reader's words, as a view shows them. */
export function shownErrors(t: T, errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, message]) => [field, say(t, message)]));
}

export class ValidationError extends Error {
  constructor(readonly errors: FieldErrors) {
    super('The form has errors');
  }
}

export class NotFoundError extends Error {
  constructor() {
    super('Not found');
  }
}

export class ForbiddenError extends Error {
  /** `reason`: what the 403 page says, as a message. */
  constructor(readonly reason: Message = 'errors.forbidden.default') {
    super(typeof reason === 'string' ? reason : reason.key);
  }
}

/**
 * The longest address accepted: SMTP's path limit (RFC 5321 4.5.3.1.3: 256 octets with
 * the brackets) leaves 253 for local part, @ and domain as mail servers count it
 * (nodemailer's smtp-server refuses a 254-character recipient), so a longer one
 * could be stored but never mailed.
 */
export const EMAIL_MAX = 253;

export const EMAIL = /^[^\s@<>()"',;:\\[\]]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

export function normaliseEmail(value: unknown): string {
  return String(value ?? '').trim().toLowerCase();
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Collects field errors; `throwIfAny` ends the verb with a ValidationError. */
export class Checker {
  readonly errors: FieldErrors = {};

  /** `label`: the field's name as a message (a catalogue key). */
  require(field: string, value: string, label: Message, max = 200): this {
    if (!value) this.add(field, { key: 'validation.required', params: { label: asMessage(label) } });
    else if (value.length > max) this.add(field, { key: 'validation.tooLong', params: { label: asMessage(label), max } });
    return this;
  }

  email(field: string, value: string): this {
    if (!value) this.add(field, 'validation.emailRequired');
    else if (value.length > EMAIL_MAX || !EMAIL.test(value)) this.add(field, 'validation.emailInvalid');
    return this;
  }

  add(field: string, message: Message): this {
    this.errors[field] ??= message;
    return this;
  }

  throwIfAny(): void {
    if (Object.keys(this.errors).length > 0) throw new ValidationError(this.errors);
  }
}

/** A label given as a key is translated as a parameter (a plain string is a key too: i18next returns it unchanged when no such key exists). */
function asMessage(label: Message): Message {
  return typeof label === 'string' ? { key: label } : label;
}
