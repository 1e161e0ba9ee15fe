// The escape every view uses for <%= %>: ejs's own, skipped for the common value
// with nothing to escape (a regexp test is cheaper than a replace with a callback).
import ejs from 'ejs';

const SPECIAL = /[&<>'"]/;

export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return SPECIAL.test(text) ? ejs.escapeXML(text) : text;
}
