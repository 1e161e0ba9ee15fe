// The one page answer that may load images from other sites: a ticket page a
// technician opened with "Show images". Every other answer keeps img-src 'self' data:.
import type { Response } from 'express';

export function allowRemoteImages(res: Response): void {
  const policy = String(res.getHeader('Content-Security-Policy') ?? '');
  res.setHeader('Content-Security-Policy', policy.replace(/img-src ([^;]*)/, 'img-src $1 https:'));
}
