// Password hashing (argon2id, 19 MiB, t=2, p=1 — OWASP's recommendation) and the
// rules a new password must meet.
import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { createRequire } from 'node:module';
import type { Message } from './validation.js';

const options = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 200;
// The common passwords, read the first time a new password is checked, not at every start (bench/boot).
let commonPasswords: Set<string> | undefined;
function common(): Set<string> {
  if (!commonPasswords) {
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> };
    commonPasswords = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return commonPasswords;
}

export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, options);
}

// A fixed hash to verify against when no account matches, so the answer takes as long.
let decoy: Promise<string> | undefined;

export async function verifyPassword(hash: string | null | undefined, plain: string): Promise<boolean> {
  if (!hash) {
    decoy ??= hashPassword(randomBytes(16).toString('hex'));
    await argon2.verify(await decoy, plain).catch(() => false);
    return false;
  }
  return argon2.verify(hash, plain).catch(() => false);
}

/** Why a new password is refused (a message: a catalogue key with its parameters), or undefined when it is acceptable. */
export function passwordProblem(plain: string): Message | undefined {
  if (plain.length < MIN_PASSWORD_LENGTH) return { key: 'validation.password.tooShort', params: { min: MIN_PASSWORD_LENGTH } };
  if (plain.length > MAX_PASSWORD_LENGTH) return { key: 'validation.password.tooLong', params: { max: MAX_PASSWORD_LENGTH } };
  if (common().has(plain.toLowerCase())) return 'validation.password.common';
  if (/^(.)\1+$/.test(plain)) return 'validation.password.guessable';
  return undefined;
}

/** A random temporary password: 16 characters from an unambiguous alphabet. */
export function temporaryPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(32);
  let out = '';
  for (const byte of bytes) {
    if (byte < 232) out += alphabet[byte % alphabet.length]; // 232 = 4 × 58: no modulo bias
    if (out.length === 16) break;
  }
  return out.length === 16 ? out : temporaryPassword();
}
