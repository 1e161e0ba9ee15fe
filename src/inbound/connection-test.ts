// Test connection: Sportello reaches the IMAP server itself and reports each step —
// connect, log in, open the folder, count its messages — as a code a person can act
// on (the words are looked up where they are shown). Read-only: nothing is flagged,
// moved or fetched. The password is used for the login and never logged or returned.
import type { ImapFlow } from 'imapflow';
import { log } from '../lib/logger.js';
import { imapProblem, type ImapProblem } from './imap-errors.js';
import { imapClient, type ImapSettings } from './poll.js';

export const CONNECTION_STEPS = ['connect', 'login', 'folder', 'count'] as const;
export type ConnectionStep = (typeof CONNECTION_STEPS)[number];

export interface StepOutcome { step: ConnectionStep; state: 'ok' | 'failed' | 'skipped'; problem?: ImapProblem }
export interface ConnectionReport { ok: boolean; steps: StepOutcome[]; messages?: number; problem?: ImapProblem }

function report(passed: number, problem?: ImapProblem, messages?: number): ConnectionReport {
  const steps = CONNECTION_STEPS.map((step, i): StepOutcome =>
    i < passed ? { step, state: 'ok' } : i === passed && problem ? { step, state: 'failed', problem } : { step, state: 'skipped' });
  return { ok: !problem, steps, messages, problem };
}

export async function testConnection(settings: ImapSettings): Promise<ConnectionReport> {
  let client: ImapFlow | undefined;
  let passed = 0;
  try {
    try {
      // A person is waiting: a server that stops answering fails the test in 20 s, not in the poller's 2 minutes.
      client = await imapClient(settings, 20_000);
      // A socket error after a step failed is already reported by that step.
      client.on('error', () => undefined);
      await client.connect();
    } catch (error) {
      // imapflow connects and logs in as one call: a refused login means the connection itself worked.
      const problem = imapProblem(error);
      if (problem === 'login_failed') passed = 1;
      throw error;
    }
    passed = 2;
    const box = await client.mailboxOpen(settings.folder, { readOnly: true });
    passed = 3;
    const messages = Number(box.exists ?? 0);
    await client.logout().catch(() => undefined);
    return report(4, undefined, messages);
  } catch (error) {
    const problem = imapProblem(error);
    log.info({ host: settings.host, port: settings.port, tls: settings.tls, problem, step: CONNECTION_STEPS[passed] }, 'mailbox connection test failed');
    client?.close();
    return report(passed, problem);
  }
}
