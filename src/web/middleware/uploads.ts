// Multipart forms with files. Nothing of the body is read until the sender is known:
// a request with no signed-in actor of the route's kind goes on unread to the handler
// (which sends it to sign in), one larger than the limits allow, or with a wrong
// X-CSRF-Token header, is refused on its headers, and the connection is closed rather
// than drained. Then multer streams the files to temporary files on disk (never into
// memory), with the limits enforced while streaming, and the CSRF token — the form's
// first field — is checked before the first byte of the first file is written.
// The temporary files are removed once the response is sent.
// A refused upload is not an error page: the handler re-renders its form with 422.
import { mkdirSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { MAX_FILE_BYTES, MAX_FILES, type NewFile } from '../../domain/ticket/attachments.js';
import { sessionUser, type SessionUser } from '../action.js';
import { refuse, validCsrf } from './csrf.js';
import { refuseNul } from './nul.js';
import { log } from '../../lib/logger.js';
import type { Message } from '../../lib/validation.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Why the upload was refused (too large, too many), for the form's error. */
    uploadError?: Message;
  }
}

const messages: Partial<Record<string, Message>> = {
  LIMIT_FILE_SIZE: { key: 'validation.upload.fileTooLarge', params: { max: MAX_FILE_BYTES / 1024 / 1024 } },
  LIMIT_FILE_COUNT: { key: 'validation.upload.tooManyFiles', params: { max: MAX_FILES } },
  LIMIT_UNEXPECTED_FILE: { key: 'validation.upload.tooManyFiles', params: { max: MAX_FILES } },
  LIMIT_PART_COUNT: 'validation.upload.tooManyParts',
  LIMIT_FIELD_COUNT: 'validation.upload.tooManyFields',
  LIMIT_FIELD_VALUE: 'validation.upload.fieldTooLong',
};

const FIELDS = 20;
const FIELD_BYTES = 200 * 1024;
/** The largest body the limits can let through, with room for part headers: anything announcing more is refused unread. */
export const MAX_BODY_BYTES = MAX_FILES * MAX_FILE_BYTES + FIELDS * FIELD_BYTES + 64 * 1024;

class CsrfRefused extends Error {}

function uploadDir(): string {
  const dir = path.join(tmpdir(), 'sportello-uploads');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Ends the exchange without reading the rest of the body. */
function closeAfter(res: Response): void {
  res.set('Connection', 'close');
}

/** Accepts up to MAX_FILES files in `field`, each at most MAX_FILE_BYTES, from a signed-in `kind`. */
export function uploads(field: string, kind: SessionUser['kind']) {
  const parse = multer({
    storage: multer.diskStorage({ destination: uploadDir() }),
    defParamCharset: 'utf8',
    limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: FIELDS, fieldSize: FIELD_BYTES, parts: MAX_FILES + FIELDS },
    // Fields before the file are in req.body by now: a form whose token is not among them writes nothing.
    fileFilter: (req, _file, accept) => (validCsrf(req) ? accept(null, true) : accept(new CsrfRefused())),
  }).array(field, MAX_FILES);

  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.is('multipart/form-data')) return next();
    if (!sessionUser(req, kind)) {
      closeAfter(res);
      return next();
    }
    if (Number(req.get('content-length') ?? 0) > MAX_BODY_BYTES) {
      closeAfter(res);
      return next(Object.assign(new Error('upload too large'), { status: 413 }));
    }
    if (req.get('x-csrf-token') !== undefined && !validCsrf(req)) {
      closeAfter(res);
      return refuse(req, res);
    }
    res.on('close', () => void removeTemporaryFiles(req));
    parse(req, res, (error: unknown) => {
      if (error instanceof CsrfRefused || !validCsrf(req)) {
        closeAfter(res);
        return refuse(req, res);
      }
      req.csrfPending = false;
      if (error instanceof multer.MulterError) {
        req.uploadError = messages[error.code] ?? 'validation.upload.unreadable';
        void removeTemporaryFiles(req);
        return refuseNul(req, res, next);
      }
      // A malformed body (cut short, bad boundary) is the client's fault, not ours.
      if (error) return next(Object.assign(error as Error, { status: 400 }));
      refuseNul(req, res, next);
    });
  };
}

/** Never rejects: a file that cannot be removed is logged (an unhandled rejection would stop the process). */
function removeTemporaryFiles(req: Request): Promise<void> {
  const files = (req.files ?? []) as Express.Multer.File[];
  req.files = [];
  return Promise.all(files.map((f) => rm(f.path, { force: true }))).then(() => undefined, (error: unknown) => {
    log.warn({ err: error }, 'a temporary upload file could not be removed');
  });
}

/** The request's files, read from disk as the domain stores them (a browser sends an empty part for an empty file input). */
export function uploadedFiles(req: Request): NewFile[] {
  return ((req.files ?? []) as Express.Multer.File[])
    .filter((f) => f.size > 0 || f.originalname !== '')
    .map((f) => ({ name: f.originalname, type: f.mimetype, content: () => createReadStream(f.path, { highWaterMark: 1024 * 1024 }) }));
}
