// Dates, times, numbers and sizes as every view shows them, in one place: views reach it
// as `fmt` (row partials too), made for the reader's locale and the workspace's time
// zone. Stored values stay UTC; only what is shown moves.

type When = Date | string | number;

const toDate = (d: When): Date => (d instanceof Date ? d : new Date(d));
// A list page writes each row's moment as ISO text: the texts of recent moments are kept (pure, bounded).
const isoTexts = new Map<number, string>();
const iso = (d: When): string => {
  const ms = d instanceof Date ? d.getTime() : toDate(d).getTime();
  let text = isoTexts.get(ms);
  if (text === undefined) {
    text = new Date(ms).toISOString(); // throws for an invalid date, as before
    if (isoTexts.size > 50_000) isoTexts.clear();
    isoTexts.set(ms, text);
  }
  return text;
};

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000], ['month', 30 * 86_400_000], ['week', 7 * 86_400_000],
  ['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000],
];

export interface Formatter {
  /** The machine-readable form, for `<time datetime>`. */
  iso(d: When): string;
  /** `1 Dec 2026, 14:05` / `1 dic 2026, 14:05`, in the workspace's time zone. */
  dateTime(d: When): string;
  /** The full moment, for a relative time's hover: `Tuesday 1 December 2026 at 14:05 CET` / `martedì 1 dicembre 2026 alle ore 14:05 CET`. */
  full(d: When): string;
  /** `1 Dec 2026` / `1 dic 2026`. */
  date(d: When): string;
  /** `3 minutes ago` / `3 minuti fa`. */
  ago(d: When, now?: Date): string;
  /** `1,234` / `1.234`. */
  number(n: number): string;
  /** A file size: `512 B`, `12 KB`, `3.4 MB` (binary multiples, as the upload limit counts them; `3,4 MB` in Italian). */
  size(bytes: number): string;
  readonly locale: string;
  readonly timeZone: string;
}

const made = new Map<string, Formatter>();

/** A time zone Intl knows (IANA name), or undefined. */
export function knownTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Every time zone a workspace may pick (IANA names, as Intl lists them). */
export function timeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
}

export function formatterFor(locale: string, timeZone = 'UTC'): Formatter {
  const key = `${locale}|${timeZone}`;
  let f = made.get(key);
  if (f) return f;
  const zone = knownTimeZone(timeZone) ?? 'UTC';
  const dateTime = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
  const full = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short', timeZone: zone });
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: zone });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const number = new Intl.NumberFormat(locale);
  const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  // Intl's format takes 1-2 µs a call and a list page makes three per row (bench/pages): both
  // are pure, so a minute's text and an "n units ago" are worded once and remembered.
  const minutes = new Map<number, string>();
  const fullMinutes = new Map<number, string>();
  const ago = new Map<number, string>();
  f = {
    iso,
    dateTime: (d) => {
      const ms = toDate(d).getTime();
      const minute = Math.floor(ms / 60_000);
      let text = minutes.get(minute);
      if (text === undefined) {
        if (minutes.size > 50_000) minutes.clear();
        minutes.set(minute, (text = dateTime.format(ms)));
      }
      return text;
    },
    full: (d) => {
      const minute = Math.floor(toDate(d).getTime() / 60_000);
      let text = fullMinutes.get(minute);
      if (text === undefined) {
        if (fullMinutes.size > 50_000) fullMinutes.clear();
        fullMinutes.set(minute, (text = full.format(minute * 60_000)));
      }
      return text;
    },
    date: (d) => date.format(toDate(d)),
    ago: (d, now) => {
      const diff = toDate(d).getTime() - (now ? now.getTime() : Date.now());
      for (let u = 0; u < UNITS.length; u++) {
        const [unit, ms] = UNITS[u];
        if (Math.abs(diff) >= ms || unit === 'second') {
          const value = Math.round(diff / ms);
          // A number for the key (value and unit): no string made to look a text up.
          const key = value * UNITS.length + u;
          let text = ago.get(key);
          if (text === undefined) {
            if (ago.size > 10_000) ago.clear();
            ago.set(key, (text = relative.format(value, unit)));
          }
          return text;
        }
      }
      return relative.format(0, 'second');
    },
    number: (n) => number.format(n),
    size: (bytes) => (bytes < 1024 ? `${number.format(bytes)} B` : bytes < 1_048_576 ? `${number.format(Math.round(bytes / 1024))} KB` : `${oneDecimal.format(bytes / 1_048_576)} MB`),
    locale,
    timeZone: zone,
  };
  made.set(key, f);
  return f;
}

/** English and UTC: for what has no reader (logs, tests). */
export const fmt = formatterFor('en-GB', 'UTC');
