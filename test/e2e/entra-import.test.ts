// End to end in headless Chromium: Admin > Integrations > Microsoft Entra ID against the
// loopback Graph stand-in — connect a directory with its secret, Test connection, Sync
// now (the directory read while the page polls), preview, import with the progress bar to
// 100 %, the report; then, after a user is disabled and another deleted in the directory,
// a delta sync that takes their portal access and keeps their contacts. Axe at 390 px.
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { config } from '../../src/config.js';
import { drainJobs, loadFixtures, people, sql } from '../support/index.js';
import { axeViolations } from '../support/axe.js';
import { signInThroughForm, useChromium } from '../support/chromium.js';
import { horizontalOverflow } from '../support/phone.js';
import { startGraphStandIn, type GraphStandIn, type StandInUser } from '../support/graph-stand-in.js';

const ACME = 'http://acme.localhost:3000';
const DIRECTORY = '11111111-2222-3333-4444-555555555555';
const APP = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SECRET = 'Xy8Q~s3cr3t-value-only-shown-once.abcdEFGH';
/** axe's violations on the page, and whether it scrolls sideways at the phone's width. */
async function axe(page: Page): Promise<string[]> {
  const overflow = await horizontalOverflow(page);
  return [...await axeViolations(page), ...(overflow ? [overflow] : [])];
}

function user(n: number, extra: Partial<StandInUser> = {}): StandInUser {
  return {
    id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`, userPrincipalName: `utente${n}@rossi.onmicrosoft.com`, mail: `utente${n}@rossi.test`,
    givenName: `Nome${n}`, surname: `Cognome${n}`, businessPhones: [`+39 02 ${n}`], accountEnabled: true, ...extra,
  };
}

describe('End to end in Chromium: importing a Microsoft Entra ID directory', function () {
  this.timeout(120_000);
  const chromium = useChromium();
  let graph: GraphStandIn;
  let saved: { entraLoginUrl: string; graphUrl: string };

  before(async () => {
    graph = await startGraphStandIn();
    saved = { entraLoginUrl: config().entraLoginUrl, graphUrl: config().graphUrl };
    Object.assign(config(), { entraLoginUrl: graph.url, graphUrl: graph.url });
  });
  after(async () => {
    Object.assign(config(), saved);
    await graph.close();
  });

  /** Runs the jobs (a worker would) while the page polls, until `until` shows. */
  async function runJobsWhileWatching(page: Page, until: () => Promise<boolean>): Promise<void> {
    const watching = (async () => {
      for (let i = 0; i < 300; i++) {
        if (await until().catch(() => false)) return;
        await page.waitForTimeout(100);
      }
      throw new Error('the page never showed the end of the job');
    })();
    await drainJobs();
    await watching;
  }

  it('connects, tests, previews and imports a directory with its progress and report, then a delta sync after a user is disabled and one deleted', async () => {
    await loadFixtures();
    const users = [...Array.from({ length: 24 }, (_, i) => user(i + 1)), user(25, { mail: null, userPrincipalName: 'ospite_gmail.com#EXT#@rossi.onmicrosoft.com' })];
    graph.directories.set(DIRECTORY, { apps: { [APP]: { secret: SECRET, permission: true } }, users, pageSize: 10 });
    const problems: string[] = [];
    const alice = await chromium.person('alice');
    await alice.setViewportSize({ width: 390, height: 844 });
    await signInThroughForm(alice, people.alice.email, '/login');

    // Connect the customer's directory with its secret.
    await alice.goto(`${ACME}/admin/integrations`);
    await Promise.all([alice.waitForURL(/\/admin\/integrations\/entra\/new$/), alice.getByRole('link', { name: 'Connect a directory' }).click()]);
    problems.push(...await axe(alice));
    await alice.getByLabel('Customer').selectOption({ label: 'Rossi Impianti' });
    await alice.getByLabel('Directory (tenant) ID').fill(DIRECTORY);
    await alice.getByLabel('Application (client) ID').fill(APP);
    await alice.getByLabel('Client secret').fill(SECRET);
    await Promise.all([alice.waitForURL(/\/admin\/integrations\/entra\/\d+$/), alice.getByRole('button', { name: 'Connect', exact: true }).click()]);
    expect(await alice.content(), 'the secret is never sent back').not.to.contain(SECRET);

    // Test connection: its steps and result, in place.
    await alice.getByRole('button', { name: 'Test connection' }).click();
    await alice.locator('#connection-test .notice').waitFor();
    expect(await alice.locator('#connection-test').innerText()).to.contain('OK: Sign in to the directory').and.contain('OK: Read the directory’s users')
      .and.contain('The connection works: you can sync now.');
    problems.push(...await axe(alice));

    // Sync now: the directory is read while the page polls, then the options and the preview.
    await Promise.all([alice.waitForURL(/\/contacts\/imports\/\d+$/), alice.getByRole('button', { name: 'Sync now' }).click()]);
    const importUrl = alice.url();
    expect(await alice.locator('#import-progress').innerText()).to.contain('Reading the directory');
    problems.push(...await axe(alice));
    await runJobsWhileWatching(alice, async () => (await alice.locator('#mapping').count()) > 0);
    expect(alice.url()).to.equal(importUrl);
    expect(await alice.locator('main').innerText()).to.contain('Read from the directory: 25 users to import.').and.contain('Every user of the directory was read (a full sync).');
    await alice.getByRole('button', { name: 'Preview' }).click();
    await alice.locator('#preview').waitFor();
    expect(await alice.locator('#preview p').first().innerText()).to.equal('Importing would create 24, update 0, skip 0; 1 row cannot be imported. Nothing has been saved yet.');
    expect(await alice.locator('#preview tbody tr').first().innerText()).to.match(/^2\s+utente1@rossi\.test\s+Nome1 Cognome1\s+\+39 02 1\s+Rossi Impianti\s+No\s+Yes\s+Created$/);
    expect(await alice.locator('#failures tbody tr').innerText()).to.match(/^26\s+No email address\.$/);
    expect((await sql(`select count(*)::int as n from contacts where email like 'utente%@rossi.test'`))[0], 'nothing written before Import').to.deep.equal({ n: 0 });
    problems.push(...await axe(alice));

    // Import: the progress bar to 100 %, then the report.
    await Promise.all([alice.waitForURL(/\/contacts\/imports\/\d+$/), alice.getByRole('button', { name: 'Import', exact: true }).click()]);
    await alice.locator('#import-progress[hx-trigger]').waitFor();
    problems.push(...await axe(alice));
    await runJobsWhileWatching(alice, async () => (await alice.locator('#import-bar').getAttribute('value')) === '100');
    expect(await alice.locator('#import-progress').innerText()).to.contain('25 of 25 rows (100 %)').and.contain('24 created, 0 updated, 0 skipped, 1 failed');
    problems.push(...await axe(alice));
    const [download] = await Promise.all([alice.waitForEvent('download'), alice.getByRole('link', { name: 'Download the report' }).click()]);
    const report = await readFile(await download.path(), 'utf8');
    expect(report).to.contain('Line,Email,Outcome,Reason\r\n2,utente1@rossi.test,Created,\r\n').and.contain('26,,Failed,No email address.');
    expect((await sql(`select count(*)::int as n from contacts where email like 'utente%@rossi.test' and source = 'azure_ad' and portal_access`))[0]).to.deep.equal({ n: 24 });

    // In the directory: one user disabled, one deleted. Sync now reads only those changes.
    users[2].accountEnabled = false;
    users.splice(4, 1);
    graph.requests.length = 0;
    await alice.goto(importUrl.replace(/\/contacts\/imports\/\d+$/, '/admin/integrations'));
    await Promise.all([alice.waitForURL(/\/admin\/integrations\/entra\/\d+$/), alice.getByRole('link', { name: 'Rossi Impianti' }).click()]);
    await Promise.all([alice.waitForURL(/\/contacts\/imports\/\d+$/), alice.getByRole('button', { name: 'Sync now' }).click()]);
    await runJobsWhileWatching(alice, async () => (await alice.locator('#mapping').count()) > 0);
    expect(await alice.locator('main').innerText()).to.contain('Read from the directory: 2 users to import.').and.contain('Only what changed in the directory since the last sync was read.');
    expect(graph.requests.filter((r) => r.url.startsWith('/v1.0/')).every((r) => r.url.startsWith('/v1.0/users/delta?$deltatoken=')), 'the delta query from the stored link').to.equal(true);
    await alice.getByRole('button', { name: 'Preview' }).click();
    await alice.locator('#preview').waitFor();
    expect(await alice.locator('#preview p').first().innerText()).to.equal('Importing would create 0, update 2, skip 0; 0 rows cannot be imported. Nothing has been saved yet.');
    problems.push(...await axe(alice));
    await Promise.all([alice.waitForURL(/\/contacts\/imports\/\d+$/), alice.getByRole('button', { name: 'Import', exact: true }).click()]);
    await runJobsWhileWatching(alice, async () => (await alice.locator('#import-bar').getAttribute('value')) === '100');
    expect(await alice.locator('#import-progress').innerText()).to.contain('2 of 2 rows (100 %)').and.contain('0 created, 2 updated, 0 skipped, 0 failed');
    const rows = await sql<{ email: string; portal_access: boolean }>(`select email, portal_access from contacts where email in ('utente3@rossi.test', 'utente5@rossi.test') order by email`);
    expect(rows, 'their contacts stay, without portal access').to.deep.equal([{ email: 'utente3@rossi.test', portal_access: false }, { email: 'utente5@rossi.test', portal_access: false }]);
    expect((await sql(`select count(*)::int as n from contacts where email like 'utente%@rossi.test'`))[0]).to.deep.equal({ n: 24 });

    expect(problems).to.deep.equal([]);
    expect(chromium.problems).to.deep.equal([]);
  });
});
