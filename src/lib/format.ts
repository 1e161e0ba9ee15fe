// Dates and sizes as every view shows them, in one place (views reach it as `fmt`,
// row partials too). English and UTC for now; the i18n work makes these follow the
// reader's language and time zone, here and nowhere else.

type When = Date | string | number;

const iso = (d: When): string => (d instanceof Date ? d : new Date(d)).toISOString();

export const fmt = {
  /** The machine-readable form, for `<time datetime>`. */
  iso,
  /** `2026-12-01 15:57` (UTC). */
  dateTime: (d: When): string => iso(d).slice(0, 16).replace('T', ' '),
  /** `2026-12-01` (UTC). */
  date: (d: When): string => iso(d).slice(0, 10),
  /** A file size: `512 B`, `12 KB`, `3.4 MB` (binary multiples, as the upload limit counts them). */
  size: (bytes: number): string => (bytes < 1024 ? `${bytes} B` : bytes < 1_048_576 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1_048_576).toFixed(1)} MB`),
};

export type Formatter = typeof fmt;
