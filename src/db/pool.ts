// A plain pg pool on the runtime role, for what lives beside the ORM: sessions,
// the shared rate-limit store and Agenda's jobs.
import pg from 'pg';
import { RUNTIME_ROLE } from './orm.js';

export function createRuntimePool(url: string, max = 5): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 10_000, options: `-c role=${RUNTIME_ROLE}` });
  pool.on('error', () => {});
  return pool;
}
