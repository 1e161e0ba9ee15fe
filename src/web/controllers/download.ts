// Sending a stored file: always a download, never rendered by the browser.
import type { Response } from 'express';
import { contentDisposition } from '../../domain/ticket/attachments.js';
import type { Attachment } from '../../domain/ticket/ticket.js';

export function sendAttachment(res: Response, file: Attachment): void {
  res.set({
    'Content-Type': file.contentType,
    'Content-Disposition': contentDisposition(file.fileName),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
  res.send(file.data);
}
