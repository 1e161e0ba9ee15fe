// Structured logs (pino). Secrets are removed by path before a line is written:
// passwords, tokens, cookies and authorisation headers never reach the log; a
// database error is logged without the values it carries (loggable-error.ts).
import { pino, stdSerializers, type Logger } from 'pino';
import { loggableError } from './loggable-error.js';

export const redactedPaths = [
  'password', '*.password', 'newPassword', '*.newPassword', 'currentPassword', '*.currentPassword',
  'token', '*.token', 'secret', '*.secret', 'smtpUrl',
  'req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]', 'req.body', 'req.query.token',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const err = (error: unknown) => stdSerializers.err(loggableError(error) as Error);
  return pino({
    level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { app: 'sportello' },
    serializers: { err, error: err },
  }, destination);
}

/** Paths with a secret in them are logged with the secret cut out. Every line that logs a path uses it. */
export function loggablePath(url: string): string {
  return url
    .replace(/\/(password|handover|reset|invite|unlock)\/[^/?#]+/g, '/$1/[redacted]')
    .replace(/([?&](?:token|_csrf|password)=)[^&#]*/gi, '$1[redacted]');
}

let current: Logger = createLogger(process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'));

export const log = new Proxy({} as Logger, { get: (_t, key) => Reflect.get(current, key, current) });

/** Replace the process logger (tests capture the log lines to check what was written). */
export function setLogger(logger: Logger): void {
  current = logger;
}
