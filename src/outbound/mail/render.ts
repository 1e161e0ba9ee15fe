// Email bodies are views (views/mail/<name>.text.ejs, and <name>.html.ejs where the
// email has an HTML part), rendered here, outside express, by the mailers beside
// this file. A text view is not HTML-escaped — it is mail, not a page — but every
// `<%= value %>` passes through `plain`, so no value can spell a credential marker;
// a mailer passes the marker itself with `<%- %>`. An HTML view escapes as the pages do.
import { existsSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { config, projectRoot } from '../../config.js';
import { escapeHtml } from '../../lib/html.js';
import { plain } from '../../domain/email/snippets.js';
import { speakerFor, type Speaker } from '../../i18n/translate.js';
import { locales } from '../../i18n/languages.js';
import { formatterFor } from '../../lib/format.js';
import type { Tenant } from '../../domain/tenant/tenant.js';

const viewsDir = path.join(projectRoot, 'views');
const mailDir = path.join(viewsDir, 'mail');

const textEscape = (value: unknown) => (value === undefined || value === null ? '' : plain(String(value)));
const htmlEscape = (value: unknown) => escapeHtml(textEscape(value));

function render(file: string, data: Record<string, unknown>, escape: (value: unknown) => string): Promise<string> {
  const cache = config().isProduction;
  return ejs.renderFile(file, data, { root: viewsDir, views: [viewsDir], cache, compileDebug: !cache, escape });
}

export interface MailBody { text: string; html: string | null }

/**
 * Whom an email speaks to: the recipient's own language when they have one, else the
 * workspace's — never the language of the request that caused it.
 */
export function recipientSpeaker(tenant: Pick<Tenant, 'language' | 'edition'>, own?: string | null): Speaker {
  return speakerFor(own ?? tenant.language, tenant.edition);
}

/**
 * The text body of views/mail/<name>.text.ejs, and the HTML one when <name>.html.ejs exists,
 * in `speaker`'s language: the views get `t`, `terms`, `lang` and `fmt` as pages do.
 */
export async function renderMail(name: string, data: Record<string, unknown>, speaker: Speaker, timeZone = 'UTC'): Promise<MailBody> {
  data = { t: speaker.t, terms: speaker.terms, lang: speaker.lang, fmt: formatterFor(locales[speaker.lang], timeZone), ...data };
  const text = await render(path.join(mailDir, `${name}.text.ejs`), data, textEscape);
  const htmlFile = path.join(mailDir, `${name}.html.ejs`);
  const html = existsSync(htmlFile) ? await render(htmlFile, data, htmlEscape) : null;
  return { text, html };
}
