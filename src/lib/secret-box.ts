// Secrets the server must read back (a TOTP seed, later mailbox passwords) are
// stored sealed: AES-256-GCM with a key derived from the app secret by HKDF-SHA256,
// one key per version, and the version stored beside the ciphertext so a future
// key can be introduced (seal with the new version, still open the old ones).
// The `context` names where the value lives (table, tenant, row): it is bound to
// the ciphertext as associated data, so a value copied to another row will not open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface Sealed {
  version: number;
  /** base64url of iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext */
  ciphertext: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  private readonly keys = new Map<number, Buffer>();

  /** `secrets` by version; the highest version seals. */
  constructor(secrets: Record<number, string>) {
    for (const [version, secret] of Object.entries(secrets)) {
      if (!secret) throw new Error(`SecretBox: no secret for version ${version}`);
      this.keys.set(Number(version), Buffer.from(hkdfSync('sha256', secret, 'sportello', `secret-box v${version}`, 32)));
    }
    if (this.keys.size === 0) throw new Error('SecretBox: no key');
  }

  get currentVersion(): number {
    return Math.max(...this.keys.keys());
  }

  seal(plain: string, context: string): Sealed {
    const version = this.currentVersion;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(version)!, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { version, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url') };
  }

  /** The plain value; throws when the key, the context or a byte is wrong. */
  open(sealed: Sealed, context: string): string {
    const key = this.keys.get(sealed.version);
    if (!key) throw new Error(`SecretBox: no key of version ${sealed.version}`);
    const raw = Buffer.from(sealed.ciphertext, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('SecretBox: ciphertext too short');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
