// What a handler answers, decided inside its unit of work and sent after commit (a page of
// plain rows is also drawn after commit: deferRender).
// The same view serves the full page and, on an htmx request, the fragment.
import type { Request, Response } from 'express';
import { setFlash } from './flash.js';
import { VIEWS_SETTING, type Views } from './views.js';

export type Layout = 'layouts/app' | 'layouts/public' | 'layouts/portal';

/**
 * An htmx request for a fragment. A history restore (Back after hx-push-url, with
 * htmx's history cache off) also says HX-Request but needs the whole page.
 */
export function isFragmentRequest(req: Request): boolean {
  return req.get('HX-Request') === 'true' && req.get('HX-Boosted') !== 'true' && req.get('HX-History-Restore-Request') !== 'true';
}

/** `view` with the app's locals, the response's and `locals` (and `more` on top), as res.render gives them, not merged first (web/views.ts). */
export function renderView(res: Response, view: string, locals: Record<string, unknown>, ...more: Record<string, unknown>[]): Promise<string> {
  return new Promise((resolve) => resolve((res.app.get(VIEWS_SETTING) as Views).view(view, [res.app.locals, res.locals, locals, ...more])));
}

export class Reply {
  status = 200;
  html?: string;
  /** A render asked for and not drawn yet (`deferRender`). */
  #pending?: { view: string; locals: Record<string, unknown>; fragment: boolean };
  #deferred = false;
  location?: string;
  #rolledBack = false;
  readonly headers: Record<string, string> = {};

  constructor(private readonly req: Request, private readonly res: Response, private readonly layout: Layout) {}

  /** Renders `view` inside the layout, or alone for an htmx fragment request (or when `fragment` is set). */
  async render(view: string, locals: Record<string, unknown> = {}, status = 200, fragment = isFragmentRequest(this.req)): Promise<void> {
    this.status = status;
    if (this.#deferred) {
      this.#pending = { view, locals, fragment };
      this.html = undefined;
      return;
    }
    const body = await renderView(this.res, view, locals);
    this.html = fragment ? body : await renderView(this.res, this.layout, locals, { body });
  }

  /**
   * From now on `render` only notes what to draw, and `drawn` draws it: a page read as
   * plain rows is drawn after its unit of work has committed and handed its connection
   * back, so the connection is not held while the templates run (bench/pages).
   */
  deferRender(): void {
    this.#deferred = true;
  }

  /** Draws the render `deferRender` held back, if any. */
  async drawn(): Promise<void> {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    this.#deferred = false;
    await this.render(pending.view, pending.locals, this.status, pending.fragment);
  }

  /**
   * Undo the unit of work and still answer: for a handler that caught a failed verb
   * (a ValidationError: the 422 re-render, an expired link's 410). The rule is "a
   * failure rolls back", whatever the status; a handler that throws rolls back anyway.
   */
  rollback(): void {
    this.#rolledBack = true;
  }

  get rolledBack(): boolean {
    return this.#rolledBack;
  }

  redirect(location: string): void {
    this.location = location;
  }

  flash(message: string): void {
    setFlash(this.req, this.res, message);
  }

  send(): void {
    if (this.res.headersSent) return;
    for (const [k, v] of Object.entries(this.headers)) this.res.set(k, v);
    if (this.location) {
      if (this.req.get('HX-Request') === 'true') this.res.set('HX-Redirect', this.location).status(204).end();
      else this.res.redirect(303, this.location);
      return;
    }
    // The same URL answers a page or a fragment: caches must keep them apart.
    if (this.html !== undefined) this.res.status(this.status).type('html').vary('HX-Request').send(this.html);
    else this.res.status(this.status === 200 ? 204 : this.status).end();
  }
}

/** A page that needs no unit of work (errors, sign-in forms re-shown). */
export async function renderPage(req: Request, res: Response, layout: Layout, view: string, locals: Record<string, unknown>, status = 200): Promise<void> {
  const reply = new Reply(req, res, layout);
  await reply.render(view, locals, status);
  reply.send();
}
