// Starts Sportello: the web server and, unless ROLE=web, the job worker in the
// same process. Stops gracefully on SIGTERM/SIGINT.
import './lib/thread-pool.js'; // first: it sizes libuv's pool before anything starts it
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { config } from './config.js';
import { openDatabase } from './db/boot.js';
import { startJobQueue, type JobQueue } from './jobs/agenda.js';
import { exitOnUncaughtErrors } from './lib/crash.js';
import { log, setLogger, createLogger } from './lib/logger.js';
import { rootUrl } from './lib/urls.js';

async function main(): Promise<void> {
  const c = config();
  setLogger(createLogger(c.logLevel));
  if (c.isProduction && c.mailCapture) {
    log.warn({ outbox: c.outboxDir }, 'MAIL_CAPTURE=1: NO EMAIL LEAVES THIS SERVER. Every message is written to the outbox folder instead, with the temporary passwords and set-password links it carries, and kept there for a day. Set SMTP_URL to send mail.');
  }
  const db = await openDatabase();
  let server: Server | undefined;
  let queue: JobQueue | undefined;
  let stopping = false;

  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), exitCode === 0 ? 20_000 : 10_000);
    force.unref();
    if (server) await new Promise<void>((resolve) => { server!.close(() => resolve()); server!.closeIdleConnections(); });
    await queue?.stop();
    await db.close();
    log.info('stopped');
    process.exit(exitCode);
  };
  exitOnUncaughtErrors(stop);
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  queue = await startJobQueue({ pool: db.pool, mongoUrl: c.agendaMongoUrl, process: c.role !== 'web' });
  if (c.role === 'worker') {
    log.info('Sportello worker running (ROLE=worker)');
    return;
  }
  const app = createApp(db.pool);
  server = app.listen(c.port, () => {
    const mail = c.smtpUrl ? 'via SMTP' : `captured in ${c.outboxDir}`;
    process.stdout.write(`Sportello is running at ${rootUrl('/')} (ROLE=${c.role}; mail ${mail})\n`);
  });
}

main().catch((error) => {
  process.stderr.write(`Sportello could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
