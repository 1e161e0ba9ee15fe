// Lockout as a weapon (issue 8): wrong passwords sent by someone else must not keep
// the owner of an account out. Guesses are limited per account *and address*;
// across addresses the account slows down (exponential back-off) but never closes;
// the owner is emailed a link that clears the throttle and trusts their browser.
import { expect } from 'chai';
import { browserFrom } from '../support/addresses.js';
import { drainJobs, h, linkIn, loadFixtures, PASSWORD, sql, type Browser } from '../support/index.js';

interface SignInForm { signIn: string; email: string; unlock: RegExp }

const forms: Record<'technician' | 'contact', SignInForm> = {
  technician: { signIn: '/login', email: 'alice@acme.test', unlock: /\/login\/unlock\// },
  contact: { signIn: '/portal/login', email: 'mario@rossi.test', unlock: /\/portal\/login\/unlock\// },
};

async function guess(browser: Browser, form: SignInForm, times: number, start = 0) {
  const statuses: number[] = [];
  for (let i = start; i < start + times; i++) statuses.push((await browser.post(form.signIn, { email: form.email, password: `wrong guess ${i}` })).status);
  return statuses;
}

async function signInFrom(address: string, form: SignInForm, browser = browserFrom(address, 'acme')) {
  await browser.get(form.signIn);
  return { browser, res: await browser.post(form.signIn, { email: form.email, password: PASSWORD }) };
}

/** As if `seconds` had passed for the account's throttle (its rows keep times in ms). */
async function letTimePass(seconds: number) {
  await sql('update rate_limits set expire = expire - $1', [seconds * 1000]);
}

for (const [kind, form] of Object.entries(forms)) {
  describe(`Security: nobody can lock a ${kind} out of ${form.signIn}`, () => {
    beforeEach(async () => {
      await loadFixtures();
    });

    it('lets the owner in from another address after an attacker\'s six wrong passwords (the probe\'s reproduction)', async () => {
      const attacker = browserFrom('203.0.113.66', 'acme');
      await attacker.get(form.signIn);
      expect(await guess(attacker, form, 6)).to.deep.equal([401, 401, 401, 401, 401, 429]);
      const { res } = await signInFrom('198.51.100.7', form);
      expect(res.status).to.equal(303);
    });

    it('keeps brute force from one address to five guesses per 15 minutes, the right password included', async () => {
      const attacker = browserFrom('203.0.113.66', 'acme');
      await attacker.get(form.signIn);
      const statuses = await guess(attacker, form, 20);
      expect(statuses.filter((s) => s === 401)).to.have.length(5);
      expect(statuses.slice(5).every((s) => s === 429)).to.equal(true);
      const right = await attacker.post(form.signIn, { email: form.email, password: PASSWORD });
      expect(right.status).to.equal(429);
      expect(right.text).to.contain('Too many sign-in attempts');
      // A quarter of an hour later the address may guess again.
      await letTimePass(15 * 60);
      expect((await attacker.post(form.signIn, { email: form.email, password: PASSWORD })).status).to.equal(303);
    });

    it('slows the account down across many addresses with a back-off that doubles, and never shuts it', async () => {
      // Ten guesses from two addresses are free; from then on each needs the back-off since the last: 1 s, 2 s, 4 s…
      for (const address of ['203.0.113.1', '203.0.113.2']) {
        const attacker = browserFrom(address, 'acme');
        await attacker.get(form.signIn);
        expect(await guess(attacker, form, 5)).to.deep.equal([401, 401, 401, 401, 401]);
      }
      const third = browserFrom('203.0.113.3', 'acme');
      await third.get(form.signIn);
      const early = await third.post(form.signIn, { email: form.email, password: 'wrong guess 10' });
      expect(early.status).to.equal(429);
      expect(early.text).to.contain('Try again in 1 second');
      await letTimePass(1);
      expect(await guess(third, form, 1, 10)).to.deep.equal([401]);
      const next = await third.post(form.signIn, { email: form.email, password: 'wrong guess 11' });
      expect(next.status).to.equal(429);
      expect(next.text).to.contain('Try again in 2 seconds');

      // The owner, from a browser never used before, waits out the same short back-off (2 s here), then is in.
      const owner = browserFrom('198.51.100.7', 'acme');
      await owner.get(form.signIn);
      expect((await owner.post(form.signIn, { email: form.email, password: PASSWORD })).status).to.equal(429);
      await letTimePass(2);
      expect((await owner.post(form.signIn, { email: form.email, password: PASSWORD })).status).to.equal(303);
    });

    it('lets one guess through each back-off when many arrive at once from many addresses', async () => {
      for (const address of ['203.0.113.1', '203.0.113.2']) {
        const attacker = browserFrom(address, 'acme');
        await attacker.get(form.signIn);
        await guess(attacker, form, 5);
      }
      await letTimePass(1);
      const attackers = await Promise.all(Array.from({ length: 10 }, async (_, i) => {
        const attacker = browserFrom(`192.0.2.${i + 1}`, 'acme');
        await attacker.get(form.signIn);
        return attacker;
      }));
      const statuses = await Promise.all(attackers.map((a, i) => a.post(form.signIn, { email: form.email, password: `racing guess ${i}` }).then((r) => r.status)));
      expect(statuses.filter((s) => s === 401)).to.have.length(1);
      expect(statuses.filter((s) => s === 429)).to.have.length(9);
    });

    it('does not slow down a browser the owner has signed in with before', async () => {
      const { browser: known } = await signInFrom('198.51.100.7', form);
      for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
        const attacker = browserFrom(address, 'acme');
        await attacker.get(form.signIn);
        await guess(attacker, form, 5);
      }
      await known.get(kind === 'technician' ? '/' : '/portal/account');
      expect((await known.post(kind === 'technician' ? '/logout' : '/portal/logout')).status).to.equal(303);
      const { res } = await signInFrom('198.51.100.7', form, known);
      expect(res.status).to.equal(303);
    });

    it('records the account going over its limit, emails an unlock link that works once, and records the unlock', async () => {
      for (const address of ['203.0.113.1', '203.0.113.2']) {
        const attacker = browserFrom(address, 'acme');
        await attacker.get(form.signIn);
        await guess(attacker, form, 5);
      }
      // The owner sits behind the same address as one attacker (an office's NAT), so that pair is spent too.
      const owner = browserFrom('203.0.113.2', 'acme');
      await owner.get(form.signIn);
      expect((await owner.post(form.signIn, { email: form.email, password: PASSWORD })).status).to.equal(429);

      await drainJobs();
      const over = await sql<{ action: string; details: Record<string, unknown> }>(`select action, details from audit_events where action = '${kind}.sign_in_throttled'`);
      expect(over).to.have.length(1);
      expect(over[0].details).to.include({ failures: 10, address: '203.0.113.2' });
      const mails = h().mail.to(form.email);
      expect(mails).to.have.length(1);
      const link = new URL(linkIn(mails[0].text, form.unlock));
      const stored = await sql<{ text_body: string }>(`select text_body from outbound_emails where kind like '%sign_in_unlock'`);
      expect(stored[0].text_body).not.to.contain(link.pathname);
      const [token] = await sql<{ token_hash: string }>("select token_hash from password_tokens where purpose = 'unlock'");
      expect(token.token_hash).to.match(/^[0-9a-f]{64}$/).and.not.to.contain(link.pathname.split('/').pop());

      // Opening the link (as a mail scanner might) changes nothing; the button does.
      const page = await owner.get(link.pathname);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Unlock sign-in');
      expect(await sql(`select * from audit_events where action = '${kind}.sign_in_unlocked'`)).to.have.length(0);
      const unlocked = await owner.post(link.pathname);
      expect(unlocked.status).to.equal(303);
      expect(unlocked.headers.location).to.equal(form.signIn);
      expect((await owner.get(form.signIn)).text).to.contain('Sign-in to your account is unlocked');
      expect(await sql(`select * from audit_events where action = '${kind}.sign_in_unlocked'`)).to.have.length(1);

      // Cleared for everyone (the account's back-off), and this browser is trusted past the spent pair.
      expect((await signInFrom('198.51.100.8', form)).res.status).to.equal(303);
      expect((await owner.post(form.signIn, { email: form.email, password: PASSWORD })).status).to.equal(303);

      // Once only.
      const again = browserFrom('198.51.100.9', 'acme');
      expect((await again.get(link.pathname)).status).to.equal(410);
      await again.get(form.signIn);
      expect((await again.post(link.pathname)).status).to.equal(410);
      expect(await sql(`select * from audit_events where action = '${kind}.sign_in_unlocked'`)).to.have.length(1);
    });

    it('keeps the unlock token out of the log', async () => {
      for (const address of ['203.0.113.1', '203.0.113.2']) {
        const attacker = browserFrom(address, 'acme');
        await attacker.get(form.signIn);
        await guess(attacker, form, 5);
      }
      await drainJobs();
      const link = new URL(linkIn(h().mail.last(form.email).text, form.unlock));
      const token = link.pathname.split('/').pop()!;
      h().logs.length = 0;
      const owner = browserFrom('198.51.100.7', 'acme');
      await owner.get(link.pathname);
      await owner.post(link.pathname);
      await owner.agent.post(link.pathname).set('Host', owner.host).type('form').send({ _csrf: 'stale' });
      const logged = h().logs.join('\n');
      expect(logged).to.contain('/unlock/[redacted]').and.not.to.contain(token);
    });

    it('answers an unknown account exactly as a known one, and emails nobody', async () => {
      const unknown = { ...form, email: 'nobody@acme.test' };
      for (const address of ['203.0.113.1', '203.0.113.2']) {
        const attacker = browserFrom(address, 'acme');
        await attacker.get(form.signIn);
        expect(await guess(attacker, unknown, 5)).to.deep.equal([401, 401, 401, 401, 401]);
      }
      const third = browserFrom('203.0.113.3', 'acme');
      await third.get(form.signIn);
      expect((await third.post(form.signIn, { email: unknown.email, password: 'x' })).text).to.contain('Try again in 1 second');
      await drainJobs();
      expect(h().mail.messages).to.have.length(0);
    });
  });
}
