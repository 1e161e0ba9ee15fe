// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded
// database when it is unset) as the owner, then exits. `npm start` does the same first.
import { config } from '../config.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { ensureDatabase } from '../db/boot.js';
import { migrate } from '../db/orm.js';
import { createLogger, setLogger } from '../lib/logger.js';

async function main(): Promise<void> {
  const c = config();
  setLogger(createLogger(c.logLevel));
  const embedded = c.databaseUrl ? undefined : await startEmbeddedPostgres(c.dataDir, c.embeddedPgPort);
  try {
    const url = c.databaseUrl ?? await ensureDatabase(embedded!.url, 'sportello');
    const applied = await migrate(url);
    process.stdout.write(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'The database is up to date.\n');
  } finally {
    await embedded?.stop();
  }
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`npm run migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
