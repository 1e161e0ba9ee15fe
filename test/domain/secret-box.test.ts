// lib/secret-box.ts and lib/totp.ts on their own: sealing, and the ±1 step window.
import { expect } from 'chai';
import { config } from '../../src/config.js';
import { SecretBox } from '../../src/lib/secret-box.js';
import { appSecretBox } from '../../src/secret-box.js';
import { matchingStep, newTotpSecret, totpCode } from '../../src/lib/totp.js';

describe('SecretBox (AES-256-GCM, keys derived from the app secret)', () => {
  const secret = 'a'.repeat(40);

  it('opens what it sealed, only in the same context, and never stores the value in clear', () => {
    const box = new SecretBox({ 1: secret });
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'technician_second_factors:1:2');
    expect(sealed.version).to.equal(1);
    expect(sealed.ciphertext).not.to.contain('JBSWY3DPEHPK3PXP');
    expect(box.seal('JBSWY3DPEHPK3PXP', 'technician_second_factors:1:2').ciphertext).not.to.equal(sealed.ciphertext); // a fresh IV each time
    expect(box.open(sealed, 'technician_second_factors:1:2')).to.equal('JBSWY3DPEHPK3PXP');
    expect(() => box.open(sealed, 'technician_second_factors:1:3')).to.throw();
    expect(() => new SecretBox({ 1: 'b'.repeat(40) }).open(sealed, 'technician_second_factors:1:2')).to.throw();
    const bytes = Buffer.from(sealed.ciphertext, 'base64url');
    bytes[bytes.length - 1] ^= 1;
    expect(() => box.open({ version: 1, ciphertext: bytes.toString('base64url') }, 'technician_second_factors:1:2')).to.throw();
  });

  it('seals with the newest key version and still opens the older ones', () => {
    const old = new SecretBox({ 1: secret }).seal('old value', 'ctx');
    const rotated = new SecretBox({ 1: secret, 2: 'c'.repeat(40) });
    expect(rotated.open(old, 'ctx')).to.equal('old value');
    const fresh = rotated.seal('new value', 'ctx');
    expect(fresh.version).to.equal(2);
    expect(rotated.open(fresh, 'ctx')).to.equal('new value');
    expect(() => new SecretBox({ 1: secret }).open(fresh, 'ctx')).to.throw(/version 2/);
  });
});

describe('TOTP codes (RFC 6238)', () => {
  it('matches the RFC 6238 test vector (SHA-1, 59 s → 287082 in 6 digits)', () => {
    // RFC 6238 appendix B: the ASCII seed "12345678901234567890", as base32.
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000)).to.equal('287082');
    expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1_111_111_109_000)).to.equal('081804');
  });

  it('accepts the code of the current step and of one step either side, no further, and names its step', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_015_000; // 15 s into a step
    const step = Math.floor(now / 30_000);
    expect(matchingStep(secret, totpCode(secret, now), now)).to.equal(step);
    expect(matchingStep(secret, totpCode(secret, now - 30_000), now)).to.equal(step - 1);
    expect(matchingStep(secret, totpCode(secret, now + 30_000), now)).to.equal(step + 1);
    expect(matchingStep(secret, totpCode(secret, now - 60_000), now)).to.equal(null);
    expect(matchingStep(secret, totpCode(secret, now + 60_000), now)).to.equal(null);
  });
});

describe("The app's sealed secrets across a rotation of APP_SECRET", () => {
  const settings = () => config() as { secret: string; secretVersion: number; previousSecret?: string };
  let saved: { secret: string; secretVersion: number; previousSecret?: string };
  beforeEach(() => { saved = { ...settings() }; });
  afterEach(() => { Object.assign(settings(), saved); });

  it('opens what the previous secret sealed once the new one is version 2, and seals with the new one', () => {
    const old = appSecretBox().seal('imap password', 'mailboxes:1:1:password');
    expect(old.version).to.equal(1);
    Object.assign(settings(), { secret: 'a-brand-new-secret-a-brand-new-secret-0123', secretVersion: 2, previousSecret: saved.secret });
    expect(appSecretBox().open(old, 'mailboxes:1:1:password')).to.equal('imap password');
    const fresh = appSecretBox().seal('imap password', 'mailboxes:1:1:password');
    expect(fresh.version).to.equal(2);
    // Without the previous secret, what it sealed no longer opens (and says so, it is not garbage).
    Object.assign(settings(), { previousSecret: undefined });
    expect(() => appSecretBox().open(old, 'mailboxes:1:1:password')).to.throw(/no key of version 1/);
    expect(appSecretBox().open(fresh, 'mailboxes:1:1:password')).to.equal('imap password');
  });
});
