// An error nobody caught leaves the process in an unknown state (a transaction half
// done, a connection in a pool with a tenant set, a request never answered). So it is
// logged, with the request or job it came from, and the process stops as cleanly as it
// can and exits 1: the supervisor (systemd, Docker, the orchestrator) starts a fresh
// one. It never carries on as if nothing had happened.
import { current } from '../current.js';
import { log } from './logger.js';

export type Stop = (reason: string, exitCode: number) => Promise<void>;

export function exitOnUncaughtErrors(stop: Stop): void {
  const crash = (kind: string, error: unknown) => {
    const context = current();
    log.fatal({ err: error, requestId: context?.requestId, tenantId: context?.tenantId }, `${kind}: the process stops so that it can be restarted clean`);
    process.exitCode = 1;
    // A second crash during the stop, or a stop that hangs, still ends the process.
    setTimeout(() => process.exit(1), 10_000).unref();
    stop(kind, 1).catch(() => process.exit(1));
  };
  process.on('unhandledRejection', (reason) => crash('unhandled rejection', reason));
  process.on('uncaughtException', (error) => crash('uncaught exception', error));
}
