// A browser that connects from a given client address. Tests all reach the app
// over loopback; this sets the connection's address, as a client elsewhere on
// the internet would have it — not a header, which TRUST_PROXY=0 ignores.
import type { IncomingMessage, ServerResponse } from 'node:http';
import supertest from 'supertest';
import { Browser, hostOf } from './browser.js';
import { h } from './harness.js';

export function browserFrom(address: string, slug?: string): Browser {
  const browser = new Browser(hostOf(slug));
  const fromAddress = (req: IncomingMessage, res: ServerResponse) => {
    Object.defineProperty(req.socket, 'remoteAddress', { value: address, configurable: true });
    h().app(req as never, res as never);
  };
  // Each request gets its own connection (supertest listens afresh), so the address is per browser.
  Object.assign(browser, { agent: supertest.agent(fromAddress) });
  return browser;
}
