// Vietnamese dates as written in documents (`ngày 09 tháng 5 năm 2024`, `09/5/2024`) to ISO.

export function isoDate(d: number, m: number, y: number): string | null {
  if (!(d >= 1 && d <= 31 && m >= 1 && m <= 12 && y >= 1945 && y <= 2100)) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A date in words at the start, e.g. `ngày 09 tháng 5 năm 2024`. */
const WORDED_DATE_RE = /^\s*(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/u;
/** A date with slashes at the start, e.g. `ngày 09/5/2024`. */
const SLASHED_DATE_RE = /^\s*(?:ngày\s+)?(\d{1,2})\/(\d{1,2})\/(\d{4})/u;

/** Parses `ngày 09 tháng 5 năm 2024` or `09/5/2024` at the start of `s`. */
export function parseVietDate(s: string): string | null {
  let m = WORDED_DATE_RE.exec(s);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);
  m = SLASHED_DATE_RE.exec(s);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);
  return null;
}

/** English month names, January first, from Intl (no list kept by hand). */
const MONTH_NAMES_EN: readonly string[] = Array.from({ length: 12 }, (_, i) =>
  new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, i, 1)),
);

/**
 * English name of a month 1-12.
 * @example englishMonth(5) === 'May'
 */
export function englishMonth(month: number): string | undefined {
  return MONTH_NAMES_EN[month - 1];
}

/**
 * An ISO date as English text.
 * @example englishDate('2024-05-09') === '9 May 2024'
 */
export function englishDate(iso: string): string {
  return `${+iso.slice(8, 10)} ${englishMonth(+iso.slice(5, 7))} ${iso.slice(0, 4)}`;
}
