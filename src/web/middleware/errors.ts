// One error path: NotFound is a 404 page, Forbidden a 403, anything else is logged
// and answered with a plain 500 page — never the error's message.
import type { NextFunction, Request, Response } from 'express';
import { log, loggablePath } from '../../lib/logger.js';
import { ForbiddenError, NotFoundError } from '../../lib/validation.js';
import { renderPage } from '../reply.js';
import { speakToSignedIn } from './own-language.js';
import { say } from '../../i18n/translate.js';

export async function notFound(req: Request, res: Response): Promise<void> {
  const { t } = await speakToSignedIn(req, res);
  await renderPage(req, res, layoutFor(req), 'errors/not-found', { title: t('errors.notFound.title') }, 404);
}

export async function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): Promise<void> {
  if (res.headersSent) return;
  const status = error instanceof NotFoundError ? 404
    : error instanceof ForbiddenError ? 403
      : clientErrorStatus(error) ?? 500;
  const { t } = await speakToSignedIn(req, res);
  if (status === 500) log.error({ err: error, method: req.method, path: loggablePath(req.path) }, 'request failed');
  const view = status === 404 ? 'errors/not-found' : status === 403 ? 'errors/forbidden' : 'errors/server';
  const message = status === 403 ? say(t, (error as ForbiddenError).reason) : status === 413 ? t('errors.tooLarge') : status >= 400 && status < 500 ? t('errors.unreadable') : undefined;
  try {
    // A plan-gated feature's refusal links to Admin > Plan (PlanRequiredError).
    const link = status === 403 ? (error as { link?: string }).link : undefined;
    await renderPage(req, res, layoutFor(req), view, { title: t('errors.title'), message, link }, status);
  } catch (renderError) {
    log.error({ err: renderError }, 'error page failed');
    res.status(status).type('text').send(t('errors.plain'));
  }
}

function layoutFor(req: Request): 'layouts/public' | 'layouts/portal' {
  return req.path.startsWith('/portal') ? 'layouts/portal' : 'layouts/public';
}

/** A body parser's refusal (too large, too many fields, malformed) keeps its 4xx status. */
function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { status?: number; statusCode?: number })?.status ?? (error as { statusCode?: number })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 && (error as { expose?: boolean }).expose !== false ? status : undefined;
}
