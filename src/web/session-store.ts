// Only a signed-in visitor has a stored session. express-session saves a session that
// was changed, and a regenerated one (an idle session ended, a sign-out by passport)
// counts as changed even when it holds nothing: each such save would leave a row for a
// visitor who is no longer anyone. This store writes a session only while it holds a
// signed-in user; any other save removes the row instead, so a session that lost its
// user can never be read back with the user still in it.
import type { Request } from 'express';
import type { SessionData, Store } from 'express-session';
import type pg from 'pg';
import { statementName } from '../db/sql.js';

declare module 'express-session' {
  interface SessionData {
    /** Where the session was opened from, as its owner's list of sessions shows it (domain/technician/sessions.ts). */
    device?: { userAgent: string; ip: string };
  }
}

/** The browser and address a session is opened from (the header is cut short: it is only shown). */
export function deviceOfRequest(req: Request): { userAgent: string; ip: string } {
  return { userAgent: String(req.get('user-agent') ?? '').slice(0, 512), ip: req.ip ?? '' };
}

export function isSignedIn(session: Partial<SessionData> | undefined): boolean {
  return Boolean((session as { passport?: { user?: unknown } } | undefined)?.passport?.user);
}

/** Half signed in: the password was right, a second factor is to come (second-step.ts). */
function isHalfSignedIn(session: Partial<SessionData> | undefined): boolean {
  return Boolean((session as { pendingSignIn?: unknown } | undefined)?.pendingSignIn);
}

/** What a request last wrote of its session: the id and the data (its cookie aside). */
const written = new WeakMap<object, string>();
/** Requests whose session came from the store. */
const loaded = new WeakSet<object>();

function contents(sid: string, session: object): string {
  return `${sid} ${withoutCookie(session)}`;
}

/**
 * The session's data as JSON, its cookie aside (the store dates a row by the cookie's expiry, and
 * each save moves it): what tells one save from the next. Its own fields copied without the cookie
 * and stringified without a replacer — V8's fast path; a replacer function costs a call per value.
 */
export function withoutCookie(session: object): string {
  const { cookie: _cookie, ...data } = session as Record<string, unknown>;
  return JSON.stringify(data);
}

/**
 * `store`, made to store signed-in (and half signed-in) sessions only. It also spares
 * the statements that would change nothing: a session written again in the same
 * request as it was (express-session saves a regenerated session at the end of the
 * answer even when save-session-before-redirect.ts has just saved it: it does not
 * see that save), and, when a session is regenerated, the delete of an id the store
 * never held (neither read from it nor written in this request — an anonymous
 * visitor's, who is never stored). The regenerated session gets a fresh id either way.
 */
export function signedInOnly<S extends Store>(store: S): S {
  const set = store.set.bind(store);
  const createSession = store.createSession.bind(store);
  const regenerate = store.regenerate.bind(store);
  store.set = (sid, session, callback) => {
    const req = (session as { req?: object }).req;
    if (!(isSignedIn(session) || isHalfSignedIn(session))) {
      if (req) written.delete(req);
      return store.destroy(sid, callback);
    }
    if (!req) return set(sid, session, callback);
    const now = contents(sid, session);
    if (written.get(req) === now) return callback?.();
    written.set(req, now);
    return set(sid, session, (error?: unknown) => {
      if (error) written.delete(req);
      callback?.(error);
    });
  };
  store.createSession = (req, data) => {
    loaded.add(req);
    return createSession(req, data);
  };
  store.regenerate = (req, callback) => {
    if (loaded.has(req) || written.has(req) || isSignedIn(req.session) || isHalfSignedIn(req.session)) return regenerate(req, callback);
    (store as unknown as { generate(req: object): void }).generate(req);
    callback();
  };
  return store;
}

/**
 * The signed-in session of `req` as the store's `set` writes it (connect-pg-simple: the
 * session as JSON, its cookie's expiry, its id), as a statement's part, for a caller that
 * writes it in a statement of its own (sign-in.ts: with the limits given back and the
 * sign-in dated). `p` takes each value and gives its placeholder. The saves that follow in
 * this request (before the redirect, at the end of the answer) find it written and send
 * nothing, unless the session changes meanwhile; when the statement fails, `notWritten`.
 */
export function sessionInsert(req: Request, p: (value: unknown) => string): { text: string; notWritten(): void } {
  const session = req.session;
  if (!isSignedIn(session)) throw new Error('Only a signed-in session is stored');
  const expires = session.cookie.expires;
  // As the store works it out (a session with no expiry never happens here: its cookie has a maxAge).
  const expire = Math.ceil((expires ? new Date(expires).valueOf() : Date.now() + 86_400_000) / 1000);
  const sess = JSON.stringify(session);
  written.set(req, contents(req.sessionID, session));
  return {
    text: `insert into session (sess, expire, sid) select ${p(sess)}::json, to_timestamp(${p(expire)}), ${p(req.sessionID)}
      on conflict (sid) do update set sess = excluded.sess, expire = excluded.expire`,
    notWritten: () => written.delete(req),
  };
}

/**
 * `pool` for the session store: each of its statements (the read on every signed-in
 * request above all) a named prepared statement, parsed and planned once per connection
 * instead of on every request — on these 2 cores PostgreSQL's planning competes with the
 * server for the same CPU (bench/pages).
 */
export function preparedStatementsOn(pool: pg.Pool): pg.Pool {
  return Object.create(pool, {
    query: { value: (text: string, values?: unknown[]) => pool.query({ name: statementName(text), text, values }) },
  }) as pg.Pool;
}
