// The language of a request is decided here, and only here:
// - a signed-in technician: their own language > the switch's cookie > the workspace's;
// - a signed-in contact on the portal: their own > the switch's cookie > the workspace's;
// - anyone else on a workspace's host: the switch's cookie > the workspace's;
// - the root host (landing, signup, find workspace): the switch's cookie > Accept-Language > English.
// A language switch is a link with `?lang=it`: the choice is kept in a host-only cookie
// for a year. An unknown code is ignored (the default stands), never an error page.
// `speak` gives the views their `t`, `lang`, `terms`, `fmt` and `row`; jobs and emails
// do not come here — they use the recipient's language (src/i18n/translate.ts speakerFor).
import type { NextFunction, Request, Response } from 'express';
import { DEFAULT_LANGUAGE, isLanguage, languageNames, languages, locales, type Language } from '../../i18n/languages.js';
import { speakerFor, type Speaker } from '../../i18n/translate.js';
import { formatterFor, type Formatter } from '../../lib/format.js';
import { cookieName, cookieOptions, readCookie } from '../session-cookie.js';

declare module 'express-serve-static-core' {
  interface Request {
    speaker?: Speaker;
    /** The signed-in technician's or contact's own language has been looked at (a guard, or own-language.ts). */
    spokenToOwn?: boolean;
    /** The signed-in technician's own time zone (null: the workspace's), once their row is read. */
    ownTimeZone?: string | null;
  }
}

const COOKIE = 'lang';
const YEAR_MS = 365 * 86_400_000;

type RowRenderer = (name: string, data: Record<string, unknown>) => string;

/** The browser's preference among the languages Sportello speaks. */
export function browserLanguage(req: Request): Language {
  if (!req.headers['accept-language']) return DEFAULT_LANGUAGE;
  const found = req.acceptsLanguages(...languages);
  return isLanguage(found) ? found : DEFAULT_LANGUAGE;
}

/** The language chosen with the switch (`?lang=` now, or the cookie it left). */
function switched(req: Request, res: Response): Language | undefined {
  const asked = req.query?.lang;
  if (isLanguage(asked)) {
    res.cookie(cookieName(COOKIE), asked, { ...cookieOptions(), maxAge: YEAR_MS });
    return asked;
  }
  const kept = readCookie(req, cookieName(COOKIE));
  return isLanguage(kept) ? kept : undefined;
}

/** Makes this response speak `lang`: the views' `t`, `lang`, `terms`, `fmt` (in `timeZone`, else the workspace's) and `row`. */
export function speak(req: Request, res: Response, lang: Language, timeZone?: string | null): Speaker {
  const speaker = speakerFor(lang, req.tenant?.edition ?? 'msp');
  const fmt: Formatter = formatterFor(locales[speaker.lang], timeZone || req.tenant?.timeZone || 'UTC');
  const rows = res.app.locals.row as RowRenderer | undefined;
  req.speaker = speaker;
  Object.assign(res.locals, {
    t: speaker.t, lang: speaker.lang, terms: speaker.terms, fmt,
    languageNames, languages,
    row: rows ? (name: string, data: Record<string, unknown>) => rows(name, { t: speaker.t, fmt, terms: speaker.terms, ...data }) : undefined,
  });
  return speaker;
}

/** A signed-in technician's or contact's own language (null: not set), once their row is read; a technician's own time zone too. */
export function speakAs(req: Request, res: Response, own: unknown, ownTimeZone?: string | null): Speaker {
  req.spokenToOwn = true;
  if (ownTimeZone !== undefined) req.ownTimeZone = ownTimeZone;
  return speak(req, res, isLanguage(own) ? own : switched(req, res) ?? req.tenant?.language ?? DEFAULT_LANGUAGE, req.ownTimeZone);
}

/** Before any route: the language for whoever is asking, until a guard knows who they are. */
export function negotiateLanguage(req: Request, res: Response, next: NextFunction): void {
  const lang = req.tenant
    ? switched(req, res) ?? req.tenant.language
    : switched(req, res) ?? browserLanguage(req);
  speak(req, res, lang);
  next();
}

/** For a page answered before negotiation (an unknown host, a failure early on). */
export function ensureSpoken(req: Request, res: Response): Speaker {
  return req.speaker ?? speak(req, res, req.tenant?.language ?? browserLanguage(req));
}
