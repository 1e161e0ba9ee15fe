// What of an error may be logged. A database error carries its values: MikroORM's
// message is the statement with every parameter written in (knex formats it:
// `update "contacts" set "first_name" = 'Mario' … - value too long …`), PostgreSQL's
// message may quote a value back (`invalid input syntax for type integer: "…"`), and
// its detail names the row (`Key (tenant_id, email)=(1, mario@rossi.test)`, `Failing
// row contains (…)`). The log keeps the statement with each value replaced by `?`,
// PostgreSQL's reason, the SQLSTATE and the names of the table, column and constraint.
// Every logger serialises errors through here (logger.ts); so does the Mail Log's last error.

type ErrorLike = Error & Record<string, unknown>;

/** Fields of a PostgreSQL error that name things, never values. */
const SAFE_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'constraint', 'dataType', 'routine', 'sql'] as const;

const isErrorLike = (value: unknown): value is ErrorLike => value instanceof Error || (typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && 'stack' in value);

/** A pg DatabaseError, or MikroORM's exception wrapping one (it copies the fields over). */
export function isDatabaseError(error: unknown): boolean {
  return isErrorLike(error) && typeof error.severity === 'string' && typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code);
}

/** Quoted identifiers kept; string literals (also E'…') and numbers become ?; $n placeholders kept. */
export function statementWithoutValues(sql: string): string {
  return sql.replace(/("(?:[^"]|"")*")|(\$\d+)|(E?'(?:[^'\\]|''|\\.)*')|(\b\d+(?:\.\d+)?\b)/g,
    (match, identifier: string | undefined, placeholder: string | undefined) => identifier ?? placeholder ?? '?');
}

const SQL_START = /^\s*(select|insert|update|delete|with|merge|begin|commit|rollback|set|alter|create|drop|truncate|lock|copy|call|do)\b/i;

/** PostgreSQL quotes a bad value after a colon (`…: "Mario"`) and in `=(…)` (detail-like): both go. */
const reasonWithoutValues = (reason: string) => reason.replace(/: "(?:[^"]|"")*"/g, ': "?"').replace(/=\([^)]*\)/g, '=(?)');

function splitMessage(error: ErrorLike): { sql?: string; message: string } {
  const message = error.message;
  // MikroORM (knex): "<statement with values> - <PostgreSQL's message>". Literals go first, so a " - " inside one cannot mislead the split.
  const literalsOut = message.replace(/E?'(?:[^'\\]|''|\\.)*'/g, '?');
  const at = literalsOut.lastIndexOf(' - ');
  if (at > 0 && SQL_START.test(literalsOut)) {
    const sql = statementWithoutValues(literalsOut.slice(0, at));
    return { sql, message: `${sql} - ${reasonWithoutValues(literalsOut.slice(at + 3))}` };
  }
  const sql = typeof error.sql === 'string' ? statementWithoutValues(error.sql) : undefined;
  return { sql, message: reasonWithoutValues(message) };
}

/** The stack with its first line(s) — the name and message — replaced. */
function stackWith(error: ErrorLike, message: string): string {
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const frames = stack.indexOf('\n    at ');
  return `${error.name}: ${message}${frames >= 0 ? stack.slice(frames) : ''}`;
}

/**
 * The error as it may be logged: the same error when nothing in it (or its causes)
 * came from the database, otherwise a copy (same type) with values taken out.
 */
export function loggableError(error: unknown, depth = 0): unknown {
  if (!isErrorLike(error) || depth > 8) return error;
  const cause = error.cause === undefined ? undefined : loggableError(error.cause, depth + 1);
  const database = isDatabaseError(error);
  if (!database && cause === error.cause) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as ErrorLike;
  if (database) {
    const { sql, message } = splitMessage(error);
    for (const field of SAFE_FIELDS) if (typeof error[field] === 'string') copy[field] = error[field];
    if (sql) copy.sql = sql;
    Object.defineProperty(copy, 'message', { value: message, enumerable: false, writable: true });
    Object.defineProperty(copy, 'stack', { value: stackWith(error, message), enumerable: false, writable: true });
  } else {
    for (const key of Object.keys(error)) copy[key] = error[key];
    Object.defineProperty(copy, 'message', { value: error.message, enumerable: false, writable: true });
    Object.defineProperty(copy, 'stack', { value: error.stack, enumerable: false, writable: true });
  }
  Object.defineProperty(copy, 'name', { value: error.name, enumerable: false, writable: true });
  if (cause !== undefined) Object.defineProperty(copy, 'cause', { value: cause, enumerable: false, writable: true });
  return copy;
}

/** An error's message as it may be logged or shown to an admin (the Mail Log's last error). */
export function loggableMessage(error: unknown): string {
  const safe = loggableError(error);
  return isErrorLike(safe) ? safe.message : String(safe);
}
