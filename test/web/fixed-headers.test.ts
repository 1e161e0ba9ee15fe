// helmet's headers are worked out once at start (src/web/middleware/fixed-headers.ts): the
// same on every answer as helmet sets them, and a middleware whose headers differ from one
// answer to the next (a CSP nonce) is refused at start rather than frozen.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Request, Response } from 'express';
import helmet from 'helmet';
import { fixedHeaders } from '../../src/web/middleware/fixed-headers.js';

function headersOf(middleware: (req: Request, res: Response, next: () => void) => void): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  middleware({ headers: {}, method: 'GET', url: '/' } as Request, { setHeader: (name: string, value: unknown) => (set[name.toLowerCase()] = value), removeHeader: () => undefined } as unknown as Response, () => undefined);
  return set;
}

describe('Fixed headers', () => {
  it('sets the headers helmet sets, every time', () => {
    const options = { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } } };
    const fixed = fixedHeaders(helmet(options));
    expect(headersOf(fixed)).to.deep.equal(headersOf(helmet(options)));
    expect(headersOf(fixed)['content-security-policy']).to.contain("frame-ancestors 'none'");
  });

  it('refuses a middleware that works a header out per answer', () => {
    const perAnswer = helmet({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => `'nonce-${randomBytes(8).toString('hex')}'`] } } });
    expect(() => fixedHeaders(perAnswer)).to.throw(/different headers/);
  });
});
