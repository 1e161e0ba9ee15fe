// A secret that must pass through storage we do not want it in clear in (the
// session row, for the page view after a redirect): AES-256-GCM, with a key derived
// from APP_SECRET for one purpose, so a value sealed for one use opens for no other.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { appKey } from './app-keys.js';

const keyFor = (purpose: string) => appKey(`seal: ${purpose}`);

export function seal(plain: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(purpose), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** The plain value, or undefined when `sealed` was not made by `seal` for this purpose. */
export function unseal(sealed: string, purpose: string): string | undefined {
  try {
    const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', keyFor(purpose), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
