import { expect } from 'chai';
import { DEMO, seedDemo } from '../../src/demo/seed.js';
import { browserFor, sql } from '../support/index.js';
import { runEntry } from '../support/spawn.js';

describe('npm run demo', function () {
  this.timeout(60_000);

  it('creates the demo workspace once, however often it runs, and its admin can sign in', async () => {
    const first = await runEntry('src/cli/demo.ts', { LOG_LEVEL: 'silent' });
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.include('http://demo.localhost:3000/login');
    expect(first.stdout).to.include('tech@demo.test');

    const again = await seedDemo();
    expect(again.created).to.deep.equal([]);
    const tenants = await sql<{ slug: string; edition: string; plan: string }>(`select slug, edition, plan from tenants`);
    expect(tenants).to.deep.equal([{ slug: 'demo', edition: 'msp', plan: 'enterprise' }]);
    expect(await sql(`select email, role from technicians`)).to.deep.equal([{ email: 'tech@demo.test', role: 'admin' }]);

    const browser = browserFor('demo');
    await browser.get('/login');
    const res = await browser.post('/login', { email: DEMO.adminEmail, password: DEMO.password });
    expect(res.status).to.equal(303);
    const dashboard = await browser.get(res.headers.location);
    expect(dashboard.text).to.include('Demo Helpdesk');
  });

  it('refuses to run when NODE_ENV=production', async () => {
    const ran = await runEntry('src/cli/demo.ts', { NODE_ENV: 'production', APP_SECRET: 'x'.repeat(40) });
    expect(ran.code).to.equal(1);
    expect(ran.stderr).to.match(/refuses to run with NODE_ENV=production/);
    expect(await sql(`select * from tenants`)).to.deep.equal([]);
  });
});
