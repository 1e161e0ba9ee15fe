// A plain pg pool on the runtime role, for what lives beside the ORM: sessions,
// the shared rate-limit store and Agenda's jobs.
import pg from 'pg';
import { runtimeUrl } from './orm.js';

export function createRuntimePool(ownerUrl: string, max = 5): pg.Pool {
  const pool = new pg.Pool({ connectionString: runtimeUrl(ownerUrl), max, idleTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  return pool;
}
