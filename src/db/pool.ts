// A plain pg pool on the runtime role, for what lives beside the ORM: sessions,
// the shared rate-limit store and Agenda's jobs.
import pg from 'pg';
import { RUNTIME_ROLE } from './orm.js';

export function createRuntimePool(url: string, max = 5): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 10_000 });
  pool.on('connect', (client) => {
    client.query(`set role ${RUNTIME_ROLE}`).catch(() => client.release(new Error('set role failed')));
  });
  pool.on('error', () => {});
  return pool;
}
