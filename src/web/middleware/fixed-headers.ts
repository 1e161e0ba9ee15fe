// helmet's headers (CSP, framing, no sniffing…) are the same for every answer: its dozen
// middlewares are run once, at start, against a stand-in response, and the headers they
// set are then set in one step (bench/login: each of a sign-in's middlewares costs the
// event loop, which shares the cores with the hashes). A middleware that works a header
// out per request (a CSP nonce, a directive that is a function) cannot be run this way:
// it is refused at start.
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export function fixedHeaders(middleware: RequestHandler): RequestHandler {
  const headers: [string, string | number | readonly string[]][] = [];
  const stand = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.push([name, value]),
    // helmet removes X-Powered-By, which express is told not to send (app.ts).
    removeHeader: () => undefined,
  } as unknown as Response;
  let ran = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as Request, stand, (error?: unknown) => {
    if (error) throw error;
    ran = true;
  });
  if (!ran) throw new Error('the headers middleware did not run at once');
  const again: [string, unknown][] = [];
  middleware({ headers: {}, method: 'GET', url: '/' } as Request, { setHeader: (name: string, value: unknown) => again.push([name, value]), removeHeader: () => undefined } as unknown as Response, () => undefined);
  if (JSON.stringify(again) !== JSON.stringify(headers)) throw new Error('the headers middleware sets different headers each time');
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
