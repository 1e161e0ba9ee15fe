// The HTML of an incoming email, made safe to show inside Sportello's own pages: an
// allow-list of formatting tags (no script, style, form, iframe, object, event
// handler, class, id or style attribute — nothing that runs, restyles the page or
// clobbers its DOM), links only to http(s)/mailto and opening apart, images only as
// placeholders until a technician asks for them (remote images tell the sender the
// mail was read). The CSP (no inline script or style) stands behind it.
import { sanitizeHtml, type SanitizeOptions } from '../lib/sanitize-html.js';
import type { T } from '../i18n/translate.js';

/** The sanitiser's options; an image's placeholder words are `t`'s (stored with the HTML, so in the workspace's language). */
const optionsFor = (t: T): SanitizeOptions => ({
  allowedTags: [
    'p', 'br', 'hr', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'small', 'sub', 'sup', 'blockquote', 'pre', 'code',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'a', 'img',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], img: ['data-remote-src', 'alt', 'title', 'width', 'height'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'],
  transformTags: {
    // rel and target are ours, whatever the email said (they are allowed only so that these survive).
    a: (tagName, attribs) => ({ tagName, attribs: { ...(attribs.href ? { href: attribs.href } : {}), ...(attribs.title ? { title: attribs.title } : {}), rel: 'noopener noreferrer nofollow', target: '_blank' } }),
    // An image keeps its address aside; it is shown only on request (see withRemoteImages).
    img: (tagName, attribs) => {
      const src = attribs.src ?? '';
      const kept: Record<string, string> = {};
      if (/^https?:\/\//i.test(src)) kept['data-remote-src'] = src;
      kept.alt = attribs.alt || t(src.startsWith('cid:') ? 'inbound.image.inline' : 'inbound.image.remote');
      for (const a of ['width', 'height']) if (attribs[a]) kept[a] = attribs[a];
      return { tagName, attribs: kept };
    },
  },
});

export const HTML_MAX = 500_000;

/** The email's HTML made safe, or null when there is none (or nothing is left of it); `t` words its image placeholders. */
export function safeEmailHtml(html: string | null, t: T): string | null {
  if (!html) return null;
  const clean = sanitizeHtml(html.slice(0, 2 * HTML_MAX), optionsFor(t)).trim();
  return clean && clean.length <= HTML_MAX ? clean : null;
}

/** The safe HTML with its remote images given their address back (only when a technician asks). */
export function withRemoteImages(html: string): string {
  return html.replace(/<img data-remote-src="(https?:\/\/[^"]*)"/g, '<img src="$1"');
}

export const hasRemoteImages = (html: string): boolean => html.includes('data-remote-src="');
