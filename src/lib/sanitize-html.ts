// sanitize-html (and postcss under it), loaded the first time some HTML is cleaned — an
// article rendered, an email's HTML shown — not at every start (bench/boot).
import { createRequire } from 'node:module';
import type sanitize from 'sanitize-html';

export type SanitizeOptions = sanitize.IOptions;

let sanitizer: typeof sanitize | undefined;

export function sanitizeHtml(html: string, options?: SanitizeOptions): string {
  sanitizer ??= createRequire(import.meta.url)('sanitize-html') as typeof sanitize;
  return sanitizer(html, options);
}
