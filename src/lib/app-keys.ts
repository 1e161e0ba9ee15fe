// Every key Sportello derives from APP_SECRET, in one place: HKDF-SHA256 with the
// purpose as its info, so a key made for one use (anonymous cookies, a sealed
// value, trusted browsers, Message-IDs) is useless for any other, and none of them
// is the secret itself. (Secrets stored for good are sealed by SecretBox, whose keys
// carry a version so the secret can be rotated.)
import { hkdfSync } from 'node:crypto';
import { config } from '../config.js';

const cache = new Map<string, Buffer>();

export function appKey(purpose: string): Buffer {
  const secret = config().secret;
  const id = `${purpose}\n${secret}`;
  let key = cache.get(id);
  if (!key) {
    if (cache.size > 64) cache.clear();
    key = Buffer.from(hkdfSync('sha256', secret, 'sportello', purpose, 32));
    cache.set(id, key);
  }
  return key;
}
