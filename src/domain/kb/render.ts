// An article's Markdown becomes HTML here, and only here: the technician's live preview and
// the stored HTML the portal shows are the same code. markdown-it turns the Markdown (raw
// HTML in it allowed, so that the sanitiser, not the Markdown parser, is the one guard) into
// HTML, and sanitize-html keeps an allow-list of harmless elements and attributes: scripts,
// event handlers, styles, iframes, forms, objects and every URL scheme but http(s)/mailto
// go, images only from the article images this workspace stores. Links to other sites get
// rel="noopener noreferrer" and stay ordinary links (no target). Headings get ids, and the
// h2/h3 of a long article are its table of contents.
import MarkdownIt from 'markdown-it';
import { sanitizeHtml } from '../../lib/sanitize-html.js';

export interface TocEntry { id: string; text: string; level: 2 | 3 }
export interface Rendered { html: string; text: string; toc: TocEntry[] }

/** An article with at least this many headings shows a table of contents. */
export const TOC_MIN = 3;

/** The path an article image is served at (and the only image source an article may use). */
export const IMAGE_PATH = /^\/portal\/kb\/images\/\d+(\/[\w.-]*)?$/;

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });

/** A heading's anchor: lower-case words joined by dashes, accents dropped. */
export function anchorFor(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'section';
}

const ALLOWED_TAGS = ['h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'kbd', 'samp',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'strong', 'b', 'em', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'mark', 'small',
  'a', 'img', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'details', 'summary', 'figure', 'figcaption'];

function isExternal(href: string): boolean {
  return /^(https?:)?\/\//i.test(href) || /^mailto:/i.test(href);
}

function sanitise(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'], 'h2': ['id'], 'h3': ['id'], 'h4': ['id'], 'h5': ['id'], 'h6': ['id'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: [] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    // What is dropped goes with its content when the content is code or hidden matter.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'iframe', 'object', 'embed', 'template', 'svg', 'math', 'xmp', 'noembed', 'noframes', 'plaintext'],
    transformTags: {
      h1: 'h2',
      a: (tagName, attribs) => {
        const { rel: _ignored, target: _alsoIgnored, ...kept } = attribs;
        return { tagName, attribs: isExternal(kept.href ?? '') ? { ...kept, rel: 'noopener noreferrer' } : kept };
      },
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !IMAGE_PATH.test(frame.attribs.src ?? ''),
    allowedClasses: {},
  });
}

/** Gives each h2–h6 an id from its text (unique in the article) and lists the h2/h3. */
function withAnchors(html: string): { html: string; toc: TocEntry[] } {
  const toc: TocEntry[] = [];
  const used = new Set<string>();
  const out = html.replace(/<h([2-6])>([\s\S]*?)<\/h\1>/g, (_m, level: string, inner: string) => {
    const text = decodeEntities(inner.replace(/<[^>]*>/g, '')).trim();
    let id = anchorFor(text);
    for (let n = 2; used.has(id); n++) id = `${anchorFor(text)}-${n}`;
    used.add(id);
    if (level === '2' || level === '3') toc.push({ id, text, level: Number(level) as 2 | 3 });
    return `<h${level} id="${id}">${inner}</h${level}>`;
  });
  return { html: out, toc };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#34': '"', nbsp: ' ' };
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#34|nbsp);/g, (_m, e: string) => ENTITIES[e]);
}

/** The plain text of sanitised HTML: what search indexes and highlights. */
function plainText(html: string): string {
  const text = sanitizeHtml(html.replace(/<\/(p|h[2-6]|li|tr|pre|blockquote|dd|dt)>/g, '$&\n'), { allowedTags: [], allowedAttributes: {} });
  return decodeEntities(text).replace(/[ \t]+/g, ' ').replace(/\n\s*\n+/g, '\n').trim();
}

export function renderArticle(body: string): Rendered {
  const clean = sanitise(markdown.render(body));
  const { html, toc } = withAnchors(clean);
  return { html, text: plainText(html), toc };
}
