// Values from user input (a query string, a form, a route), read the same way
// everywhere: anything unexpected is undefined or the default, never an error.

/** The largest int4: ids and ticket numbers are PostgreSQL integers. */
export const INT4_MAX = 2_147_483_647;

/** The last page a list offers to open (deeper offsets cost more than they are worth). */
export const PAGE_MAX = 100_000;

/** Every paged list shows this many rows a page. */
export const PAGE_SIZE = 50;

/** How many pages `total` rows make (at least one, the empty list's). */
export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}

/** A repeated parameter (`?a=1&a=2`) counts by its first value. */
export function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** A database id (a positive int4) written plainly in decimal (`12`, not `012`, `1e1` or `0x0c`), or undefined. */
export function parseId(value: unknown): number | undefined {
  const v = first(value);
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^[1-9][0-9]{0,9}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= INT4_MAX ? n : undefined;
}

/** A page number: a positive integer, at most PAGE_MAX; anything else is page 1. */
export function parsePage(value: unknown): number {
  const v = first(value);
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^[1-9][0-9]*$/.test(s)) return 1;
  return Math.min(Number(s), PAGE_MAX);
}

/**
 * A checkbox or yes/no flag. An unticked checkbox sends nothing (false); a form that
 * pairs a hidden "off" with the checkbox sends both, and the last one counts.
 */
export function parseFlag(value: unknown): boolean {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return v === true || v === 'on' || v === '1' || v === 'true' || v === 'yes';
}

/** A short text filter (a search box): trimmed, at most `max` characters, or undefined when empty. */
export function parseText(value: unknown, max = 200): string | undefined {
  const v = first(value);
  return typeof v === 'string' ? v.trim().slice(0, max) || undefined : undefined;
}
