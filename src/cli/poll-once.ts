// `npm run poll -- <tenant id> <mailbox id>`: polls one support mailbox now, as the
// worker would, prints what came of each message, and exits. For an operator checking
// a mailbox, and for bench/ingest (which measures the polling process's memory).
import { readFileSync } from 'node:fs';
import { config } from '../config.js';
import { openDatabase } from '../db/boot.js';
import { pollMailbox } from '../inbound/poll.js';
import { createLogger, setLogger } from '../lib/logger.js';

async function main(): Promise<void> {
  const [tenantId, mailboxId] = process.argv.slice(2).map(Number);
  if (!Number.isSafeInteger(tenantId) || !Number.isSafeInteger(mailboxId)) throw new Error('usage: npm run poll -- <tenant id> <mailbox id>');
  setLogger(createLogger(config().logLevel));
  const db = await openDatabase();
  try {
    const started = performance.now();
    const report = await pollMailbox(tenantId, mailboxId);
    const seconds = (performance.now() - started) / 1000;
    const outcomes: Record<string, number> = {};
    for (const r of report.results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    process.stdout.write(`${JSON.stringify({ polled: report.polled, taken: report.taken, seconds, outcomes, problem: report.problem ?? null, peakRssMb: peakRssMb() })}\n`);
  } finally {
    await db.close();
  }
}

/** This process's peak RSS (VmHWM). */
function peakRssMb(): number {
  try {
    const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : 0;
  } catch {
    return process.resourceUsage().maxRSS / 1024;
  }
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`npm run poll failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
