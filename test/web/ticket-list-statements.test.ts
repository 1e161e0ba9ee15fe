import { expect } from 'chai';
import pg from 'pg';
import { loadFixtures, signIn, type Browser, type Fixtures } from '../support/index.js';
import { makeTicket } from '../support/records.js';

/** Every statement any pooled connection sends while `fn` runs (the session store's included). */
async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { text: string };
    seen.push(typeof q === 'string' ? q : q.text);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}

describe('The ticket list reads in a constant number of statements', () => {
  let fx: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
  });

  it('counts', async () => {
    for (let n = 1001; n < 1004; n++) await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, n);
    for (const path of ['/tickets', `/tickets?customer=${fx.customers['Rossi Impianti'].id}`, `/tickets?contact=${fx.contacts.mario.id}`]) {
      const s = await statementsOf(() => alice.get(path));
      console.log(path, s.length, s.map((x) => x.slice(0, 90).replace(/\s+/g, ' ')));
    }
  });
});
