// `npm run demo`: creates (or completes) the demo workspace on the configured
// database — the embedded one when DATABASE_URL is unset. Never in production.
import { config } from '../config.js';
import { openDatabase } from '../db/boot.js';
import { createLogger, setLogger } from '../lib/logger.js';
import { DEMO, seedDemo } from '../demo/seed.js';

async function main(): Promise<number> {
  if (process.env.NODE_ENV === 'production') {
    process.stderr.write('npm run demo refuses to run with NODE_ENV=production: it creates a workspace with a published password.\n');
    return 1;
  }
  const c = config();
  setLogger(createLogger(process.env.LOG_LEVEL ?? 'warn'));
  const db = await openDatabase();
  try {
    const result = await seedDemo((line) => process.stdout.write(`${line}\n`));
    process.stdout.write(
      `\nThe demo workspace is ready. Start Sportello (npm start${c.databaseUrl ? '' : ', same embedded database'}), then open\n` +
      `  the technician app: ${result.loginUrl}\n` +
      `    sign in as ${DEMO.adminEmail} with the password ${DEMO.password}\n` +
      `  the customer portal: ${result.portalUrl}\n` +
      `    sign in as ${DEMO.contactEmail} with the password ${DEMO.password}\n` +
      `(Every demo address ends in @demo.test; the replies' emails wait in the outbox and land in the Mail Log.)\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then((code) => process.exit(code), (error) => {
  process.stderr.write(`npm run demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
