// Form validation: errors keyed by field, shown next to the field on a 422.
export type FieldErrors = Record<string, string>;

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
  constructor(message = 'Forbidden') {
    super(message);
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

  require(field: string, value: string, label: string, max = 200): this {
    if (!value) this.add(field, `${label} is required.`);
    else if (value.length > max) this.add(field, `${label} must be at most ${max} characters.`);
    return this;
  }

  email(field: string, value: string): this {
    if (!value) this.add(field, 'Email is required.');
    else if (value.length > EMAIL_MAX || !EMAIL.test(value)) this.add(field, 'Enter a valid email address, like name@example.com.');
    return this;
  }

  add(field: string, message: string): this {
    this.errors[field] ??= message;
    return this;
  }

  throwIfAny(): void {
    if (Object.keys(this.errors).length > 0) throw new ValidationError(this.errors);
  }
}
