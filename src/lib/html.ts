// The one HTML escape: every view's <%= %> (set in app.ts and row-partial.ts) and the
// HTML that snippets render into emails. The same entities as ejs's own escapeXML;
// the common value with nothing to escape is returned as it is (a regexp test is
// cheaper than a replace with a callback).
const SPECIAL = /[&<>'"]/;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return SPECIAL.test(text) ? text.replace(/[&<>'"]/g, (c) => ENTITIES[c]) : text;
}
