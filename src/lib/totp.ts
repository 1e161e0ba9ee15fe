// Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30-second steps — what
// every authenticator app reads from an otpauth:// QR code), through otpauth.
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;

/** A new secret: 20 random bytes (RFC 4226's recommended length), as base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, issuer = '', label = ''): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function otpauthUri(secret: string, issuer: string, label: string): string {
  return totp(secret, issuer, label).toString();
}

/** The code of the step holding `timestamp` (ms). */
export function totpCode(secret: string, timestamp = Date.now()): string {
  return totp(secret).generate({ timestamp });
}

/** A typed code as digits only (spaces are allowed between them), or undefined when it is not one. */
export function totpDigits(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${DIGITS}}$`).test(digits) ? digits : undefined;
}

/**
 * The time step the code belongs to, when it is the code of the current step or
 * of the one before or after (clocks drift, people type slowly), else null.
 * The caller refuses a step not later than the last one accepted: no replay.
 */
export function matchingStep(secret: string, code: string, timestamp = Date.now()): number | null {
  const delta = totp(secret).validate({ token: code, timestamp, window: 1 });
  return delta === null ? null : Math.floor(timestamp / 1000 / TOTP_PERIOD_SECONDS) + delta;
}
