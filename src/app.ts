// Builds the express app (middleware + routes). It never listens: tests import it.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import connectPgSimple from 'connect-pg-simple';
import express, { type Request, type Response, type NextFunction } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import passport from 'passport';
import type pg from 'pg';
import { stdSerializers } from 'pino';
import { pinoHttp } from 'pino-http';
import { config, projectRoot } from './config.js';
import { log, loggablePath } from './lib/logger.js';
import { csrf } from './web/middleware/csrf.js';
import { errorHandler, notFound } from './web/middleware/errors.js';
import { refuseNul } from './web/middleware/nul.js';
import { fixedHeaders } from './web/middleware/fixed-headers.js';
import { saveSessionBeforeRedirect } from './web/middleware/save-session-before-redirect.js';
import { sessionTimeouts } from './web/middleware/session-timeouts.js';
import { resolveTenant } from './web/middleware/tenant.js';
import { negotiateLanguage } from './web/middleware/language.js';
import { setUpPassport } from './web/passport.js';
import { setUpLimiters } from './web/rate-limits.js';
import { setUpSecondStepLimiter } from './web/second-step.js';
import { PLAN_PATH, planAllows, UNAVAILABLE_NOTE } from './domain/tenant/plans.js';
import { buildRouter, rootRoutes, tenantRoutes } from './web/routes.js';
import { globalEm } from './db/unit-of-work.js';
import { runWithCurrent } from './current.js';
import { rootUrl } from './lib/urls.js';
import { sessionCookieName } from './web/session-cookie.js';
import { preparedStatementsOn, signedInOnly } from './web/session-store.js';
import { rowPartials } from './web/row-partial.js';
import { views, VIEWS_SETTING } from './web/views.js';
import { ticketWords } from './domain/ticket/labels.js';
import { ruleWords } from './domain/rule/words.js';
import { hasRemoteImages, withRemoteImages } from './inbound/html.js';
import { fmt } from './lib/format.js';
import { isFragmentRequest } from './web/reply.js';
import { takeFlash } from './web/flash.js';

export { loggablePath } from './lib/logger.js';

export function createApp(pool: pg.Pool): express.Express {
  const c = config();
  const app = express();
  app.disable('x-powered-by');
  // Pages are no-store (below): an ETag would cost a hash of every body for nothing.
  app.set('etag', false);
  // Client addresses (for per-address limits) come from X-Forwarded-For only through this many proxies.
  app.set('trust proxy', c.trustProxy);
  // Views include by absolute path ('/tickets/_ticket'), resolved once; an include copies
  // no locals (web/views.ts).
  const viewsDir = path.join(projectRoot, 'views');
  const pages = views(viewsDir, () => app.enabled('view cache'));
  app.set(VIEWS_SETTING, pages);
  app.engine('ejs', (file: string, options: object, done: (e: Error | null, html?: string) => void) => {
    let html: string;
    try {
      html = pages.render(file, options as Record<string, unknown>);
    } catch (error) {
      return done(error as Error);
    }
    done(null, html);
  });
  app.set('view engine', 'ejs');
  app.locals.row = rowPartials(viewsDir, () => app.enabled('view cache'));
  app.set('views', viewsDir);
  if (c.isProduction) app.enable('view cache');
  app.locals.appDomain = c.appDomain;
  app.locals.fmt = fmt; // dates and sizes, one way (lib/format.ts); each request's own locale and time zone replace it (middleware/language.ts)
  app.locals.emailHtml = { withRemoteImages, hasRemoteImages };
  app.locals.ticketWords = ticketWords; // a ticket's statuses, priorities, types as catalogue keys (domain/ticket/labels.ts)
  app.locals.ruleWords = ruleWords; // a rule's triggers, properties, operators, actions and outcomes as catalogue keys (domain/rule/words.ts)
  app.locals.rootUrl = rootUrl('/');
  // A plan-gated feature's note (views/shared/_plan-note.ejs): the one check, its words, where to change plan.
  Object.assign(app.locals, { planAllows, unavailableNote: UNAVAILABLE_NOTE, planPath: PLAN_PATH });

  app.get('/healthz', async (_req, res) => {
    try {
      await globalEm().getConnection().execute('select 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });

  app.use(fixedHeaders(helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'],
        // helmet's default adds `https: data:`; Sportello serves no web font, and a font is no one else's to inject.
        fontSrc: ["'self'"],
        formAction: ["'self'", `${c.scheme}://*.${c.appDomain}`, `${c.scheme}://${c.appDomain}`],
        frameAncestors: ["'none'"], objectSrc: ["'none'"], baseUri: ["'self'"],
        upgradeInsecureRequests: c.scheme === 'https' ? [] : null,
      },
    },
    strictTransportSecurity: c.scheme === 'https',
  })));
  app.use('/public', express.static(path.join(projectRoot, 'public'), { maxAge: c.isProduction ? '7d' : 0 }));
  app.get('/vendor/htmx.min.js', (_req, res) => res.sendFile(path.join(projectRoot, 'node_modules/htmx.org/dist/htmx.min.js'), { maxAge: c.isProduction ? '30d' : 0 }));
  app.get('/vendor/sortable.min.js', (_req, res) => res.sendFile(path.join(projectRoot, 'node_modules/sortablejs/Sortable.min.js'), { maxAge: c.isProduction ? '30d' : 0 }));

  // Everything below is dynamic: signed-in pages, forms with a CSRF token, addresses
  // with a token in them. None of it belongs in a browser's or proxy's cache.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  app.use(pinoHttp({
    logger: log,
    genReqId: (req) => (req.headers['x-request-id'] as string) || randomUUID(),
    // Each request's logger is made with its request serialized (pino-http's child): these read the
    // four fields a line keeps straight from the request and response, where pino's standard
    // serializers (wrapSerializers) first copied every header and more for them to pick from. The
    // same fields and values: the standard ones' url, and status (none before the headers are out).
    wrapSerializers: false,
    serializers: {
      req: (req: { id: string; method: string; url: string; originalUrl?: string; headers: Record<string, string> }) => ({ id: req.id, method: req.method, url: loggablePath(req.originalUrl || req.url), host: req.headers?.host }),
      res: (res: { statusCode: number; headersSent: boolean }) => ({ statusCode: res.headersSent ? res.statusCode : null }),
      err: stdSerializers.err,
    },
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/public') || req.url === '/healthz' },
  }));

  // The request's id is in its context from here on: a crash report names the request.
  app.use((req, _res, next) => runWithCurrent({ requestId: String(req.id) }, next));

  // The workspace (from the Host alone) and the request's language come before the body, so that a
  // body refused while it is read (too large, a NUL) is answered in the workspace's language.
  app.use(asyncMiddleware(resolveTenant));
  // The request's language (technician and contact guards refine it once they know who asks).
  app.use(negotiateLanguage);

  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 200 }));
  // The one place url-encoded input and addresses are parsed: a NUL character is refused here (multipart: uploads.ts).
  app.use(refuseNul);

  // Sessions are stored for signed-in users only: an anonymous visitor's CSRF token and
  // notice live in cookies (middleware/csrf.ts, web/flash.ts), so browsing writes nothing.
  const PgStore = connectPgSimple(session);
  app.use(session({
    name: sessionCookieName(),
    store: signedInOnly(new PgStore({ pool: preparedStatementsOn(pool), tableName: 'session', createTableIfMissing: false, disableTouch: true, pruneSessionInterval: c.isTest ? false : 15 * 60 })),
    secret: c.secret,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: c.scheme === 'https', maxAge: 12 * 3600_000 },
  }));
  app.use(saveSessionBeforeRedirect);
  setUpPassport();
  setUpLimiters(pool);
  setUpSecondStepLimiter(pool);
  app.use(passport.initialize());
  app.use(sessionTimeouts);
  app.use(passport.session());
  app.use(csrf);
  app.use((req, res, next) => {
    res.locals.path = req.path;
    res.locals.currentUser = req.user;
    // A message left for the next page (reply.flash) is shown once, by the next full page.
    res.locals.flash = req.method === 'GET' && !isFragmentRequest(req) ? takeFlash(req, res) : undefined;
    next();
  });

  const root = buildRouter(rootRoutes);
  const tenant = buildRouter(tenantRoutes);
  app.use((req, res, next) => (req.hostKind === 'root' ? root : tenant)(req, res, next));
  app.use(asyncMiddleware(notFound));
  app.use(errorHandler);
  return app;
}

function asyncMiddleware(fn: (req: Request, res: Response, next: NextFunction) => Promise<void>) {
  return (req: Request, res: Response, next: NextFunction) => {
    fn(req, res, next).catch(next);
  };
}
