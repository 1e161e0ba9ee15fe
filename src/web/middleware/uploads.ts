// Multipart forms with files: multer parses them into memory with the limits
// enforced while streaming (a file past 10 MB, or a sixth file, stops the parse),
// then the CSRF token, which arrives as a form field, is checked here.
// A refused upload is not an error page: the handler re-renders its form with 422.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { MAX_FILE_BYTES, MAX_FILES } from '../../domain/ticket/attachments.js';
import { refuse, validCsrf } from './csrf.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Why the upload was refused (too large, too many), for the form's error. */
    uploadError?: string;
  }
}

const messages: Partial<Record<string, string>> = {
  LIMIT_FILE_SIZE: `Each file must be at most ${MAX_FILE_BYTES / 1024 / 1024} MB.`,
  LIMIT_FILE_COUNT: `Attach at most ${MAX_FILES} files.`,
  LIMIT_UNEXPECTED_FILE: `Attach at most ${MAX_FILES} files.`,
  LIMIT_PART_COUNT: 'The form has too many parts.',
  LIMIT_FIELD_COUNT: 'The form has too many fields.',
  LIMIT_FIELD_VALUE: 'A field is too long.',
};

/** Accepts up to MAX_FILES files in `field`, each at most MAX_FILE_BYTES. */
export function uploads(field: string) {
  const parse = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 20, fieldSize: 200 * 1024, parts: MAX_FILES + 20 },
  }).array(field, MAX_FILES);

  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.is('multipart/form-data')) return next();
    parse(req, res, (error: unknown) => {
      // The token is the first field of the form, so it is read even when a file is refused.
      if (!validCsrf(req)) return refuse(req, res);
      req.csrfPending = false;
      if (error instanceof multer.MulterError) {
        req.uploadError = messages[error.code] ?? 'The upload could not be read.';
        req.files = [];
        return next();
      }
      // A malformed body (cut short, bad boundary) is the client's fault, not ours.
      if (error) return next(Object.assign(error as Error, { status: 400 }));
      next();
    });
  };
}
