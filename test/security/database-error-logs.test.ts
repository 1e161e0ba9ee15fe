// A database error reaches the log with its statement and PostgreSQL's reason, but
// none of the values: MikroORM's message is the query with its parameters written
// in, and PostgreSQL's detail names the row ("Key (…)=(mario@rossi.test)").
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { inTenant, inTenantWork } from '../../src/db/unit-of-work.js';
import { Contact } from '../../src/domain/contact/contact.js';
import { createLogger, log } from '../../src/lib/logger.js';
import { loggableMessage } from '../../src/lib/loggable-error.js';
import { h, loadFixtures, type Fixtures } from '../support/index.js';

const SECRET = "Mario's reply text, not for the log";

async function failure(work: () => Promise<unknown>): Promise<Error> {
  try {
    await work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the work to fail');
}

/** What a production logger writes for `err`. */
function logged(err: Error): Record<string, unknown> {
  const lines: string[] = [];
  const logger = createLogger('info', new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
  logger.error({ err, method: 'POST', path: '/tickets/1001/replies' }, 'request failed');
  logger.error(err);
  expect(lines).to.have.length(2);
  return JSON.parse(lines[0]).err as Record<string, unknown>;
}

describe('Security: database errors in the log', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('logs an ORM statement with every value replaced, PostgreSQL\'s reason and the SQLSTATE', async () => {
    const err = await failure(() => inTenant(fx.acme.id, async (em) => {
      const mario = await em.findOneOrFail(Contact, { id: fx.contacts.mario.id });
      mario.firstName = SECRET.repeat(10);
      await em.flush();
    }));
    expect(err.message, 'the ORM really writes the value into its message').to.contain('not for the log');
    const entry = logged(err);
    const text = JSON.stringify(entry);
    expect(text).not.to.contain('not for the log').and.not.to.contain('Mario');
    expect(entry.type).to.equal('DriverException');
    expect(entry.code).to.equal('22001');
    expect(entry.sql).to.equal('update "contacts" set "first_name" = ? where "id" = ?');
    expect(entry.message).to.contain('update "contacts" set "first_name" = ? where "id" = ?').and.contain('value too long for type character varying(100)');
    expect(String(entry.stack)).to.match(/^DriverException: update "contacts"/).and.contain('\n    at ');
    expect(loggableMessage(err)).to.equal(entry.message);
  });

  it('leaves out the detail that names the row (a unique violation), keeping the constraint', async () => {
    const err = await failure(() => inTenant(fx.acme.id, async (em) => {
      em.create(Contact, { tenant: fx.acme.id, customer: fx.customers['Rossi Impianti'].id, email: 'mario@rossi.test', firstName: SECRET, lastName: 'Rossi' });
      await em.flush();
    }));
    expect(JSON.stringify({ ...err, message: err.message })).to.contain('mario@rossi.test');
    const entry = logged(err);
    const text = JSON.stringify(entry);
    expect(text).not.to.contain('mario@rossi.test').and.not.to.contain('not for the log');
    expect(entry).to.include({ type: 'UniqueConstraintViolationException', code: '23505', constraint: 'contacts_tenant_email', table: 'contacts' });
    expect(entry).not.to.have.property('detail');
    expect(entry.sql).to.match(/^insert into "contacts" \(.*\) values \(\?, \?, .*\) returning /);
  });

  it('logs a prepared statement\'s text, never its parameters or the value PostgreSQL quotes back', async () => {
    const err = await failure(() => inTenantWork(fx.acme.id, ({ sql }) => sql.query('select id from contacts where id = $1', [SECRET])));
    expect(err.message).to.contain('not for the log');
    const entry = logged(err);
    expect(JSON.stringify(entry)).not.to.contain('not for the log');
    expect(entry).to.include({ code: '22P02', sql: 'select id from contacts where id = $1' });
    expect(entry.message).to.equal('invalid input syntax for type integer: "?"');
  });

  it('scrubs a database error that is the cause of another', async () => {
    const cause = await failure(() => inTenantWork(fx.acme.id, ({ sql }) => sql.query('select $1::int', [SECRET])));
    const entry = logged(new Error('sending failed', { cause }));
    expect(JSON.stringify(entry)).not.to.contain('not for the log');
    expect(entry.message).to.equal('sending failed: invalid input syntax for type integer: "?"');
  });

  it('is how the process logger writes errors too', async () => {
    const err = await failure(() => inTenantWork(fx.acme.id, ({ sql }) => sql.query('select $1::int', [SECRET])));
    h().logs.length = 0;
    log.error({ err }, 'request failed');
    expect(h().logs.join('\n')).to.contain('select $1::int').and.not.to.contain('not for the log');
  });
});
