// A page read as plain rows is drawn after its unit of work commits (its connection is back
// in the pool while the templates run: bench/pages); a page of entities, and any answer to
// a POST, is drawn inside the unit, so a failure to draw undoes what the request wrote.
import { expect } from 'chai';
import pg from 'pg';
import { h, loadFixtures, signIn, type Browser } from '../support/index.js';
import { writeTickets } from '../support/tickets.js';
import { VIEWS_SETTING, type Views } from '../../src/web/views.js';

type Engine = (file: string, options: object, done: (e: Error | null, html?: string) => void) => void;

describe('When a page is drawn', () => {
  let alice: Browser;
  beforeEach(async () => {
    const fx = await loadFixtures();
    await writeTickets(fx, [{ number: 1001, title: 'Printer' }]);
    alice = await signIn('alice');
  });

  /** What happened while `fn` ran, in order: each transaction end sent, and each template drawn. */
  async function sequenceOf(fn: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const engines = (h().app as unknown as { engines: Record<string, Engine> }).engines;
    const engine = engines['.ejs'];
    // Pages are drawn through the app's views (web/views.ts), other answers through the engine.
    const pages = h().app.get(VIEWS_SETTING) as Views;
    const view = pages.view;
    pages.view = (name, frames) => {
      seen.push('draw');
      return view(name, frames);
    };
    const query = pg.Client.prototype.query;
    engines['.ejs'] = (file, options, done) => {
      seen.push('draw');
      engine(file, options, done);
    };
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text: string };
      const text = typeof q === 'string' ? q : q.text;
      if (/^(commit|rollback)$/.test(text)) seen.push(text);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      await fn();
    } finally {
      engines['.ejs'] = engine;
      pages.view = view;
      pg.Client.prototype.query = query;
    }
    return seen;
  }

  const collapsed = (events: string[]) => events.filter((e, i) => e !== events[i - 1]);

  it('after commit for a page of plain rows (the ticket list, the ticket page)', async () => {
    for (const path of ['/tickets', '/tickets/1001']) {
      const events = await sequenceOf(async () => expect((await alice.get(path)).status).to.equal(200));
      expect(collapsed(events), path).to.deep.equal(['commit', 'draw']);
    }
  });

  it('inside the unit of work for a page of entities, and for the answer to a POST', async () => {
    // The title form is the ticket page drawn from the entity; a refused title is a POST drawn before its rollback.
    expect(collapsed(await sequenceOf(() => alice.get('/tickets/1001/title/edit')))).to.deep.equal(['draw', 'commit']);
    expect(collapsed(await sequenceOf(async () => expect((await alice.post('/tickets/1001/title', { title: ' ' })).status).to.equal(422))))
      .to.deep.equal(['draw', 'rollback']);
  });
});
