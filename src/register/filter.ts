// Register queries and exports: filter obligations by document (with implementers), unit, kind and due date; CSV and iCalendar output.
import { createHash } from 'node:crypto';
import { OBLIGATION_KINDS, type DocMeta, type Obligation, type ObligationFilter } from '../doc/types.ts';
import { AppError } from '../errors.ts';
import { clipAtWord } from '../text/strings.ts';
import { resolveDocRef, type Lineage } from './lineage.ts';
import { findUnits, unitKey } from './units.ts';

export { OBLIGATION_KINDS };

export interface FilterContext {
  metas: DocMeta[];
  lineage: Lineage;
}

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The date by which an obligation is due, for `dueBefore`: its end, else its start; annual ones recur and always qualify. */
function dueDate(o: Obligation): string | 'recurring' | null {
  const d = o.deadline;
  if (!d) return null;
  if (d.type === 'annual') return 'recurring';
  return d.end ?? d.start ?? null;
}

/**
 * Filters the register. `doc` accepts loose references and includes every document implementing the one named;
 * `unit` matches lead or partner units by name, abbreviation or English name; `dueBefore` (YYYY-MM-DD) keeps
 * obligations due on or before that day plus yearly recurring ones.
 * @example filterObligations(all, { doc: 'Nghị quyết 42', kind: 'report' }, { metas, lineage })
 */
export function filterObligations(all: Obligation[], filter: ObligationFilter, ctx: FilterContext): Obligation[] {
  let out = all;
  if (filter.kind !== undefined) {
    if (!(OBLIGATION_KINDS as readonly string[]).includes(filter.kind)) {
      throw new AppError('bad_input', `unknown obligation kind "${filter.kind}" (expected one of ${OBLIGATION_KINDS.join(', ')})`);
    }
    out = out.filter((o) => o.kind === filter.kind);
  }
  if (filter.dueBefore !== undefined) {
    if (!ISO_DATE_RE.test(filter.dueBefore) || Number.isNaN(Date.parse(filter.dueBefore))) {
      throw new AppError('bad_input', `dueBefore must be a date YYYY-MM-DD, got "${filter.dueBefore}"`);
    }
    const limit = filter.dueBefore;
    out = out.filter((o) => {
      const d = dueDate(o);
      return d === 'recurring' || (d !== null && d <= limit);
    });
  }
  if (filter.doc !== undefined && filter.doc.trim() !== '') {
    const r = resolveDocRef(filter.doc, ctx.metas, ctx.lineage);
    const ids = new Set(r.docIds);
    out = out.filter((o) => ids.has(o.docId));
  }
  if (filter.unit !== undefined && filter.unit.trim() !== '') {
    const units = findUnits(filter.unit);
    const keys = new Set<string>();
    for (const u of units) for (const n of [u.vi, ...u.variants, ...u.abbreviations]) keys.add(unitKey(n));
    const q = unitKey(filter.unit);
    out = out.filter((o) =>
      [...o.lead, ...o.partners].some((n) => {
        const k = unitKey(n);
        // Units outside the gazetteer are kept as written: match them by the words given.
        return keys.has(k) || (units.length === 0 && k.includes(q));
      }),
    );
  }
  return out;
}

/** Column order of the CSV export. */
export const CSV_COLUMNS = [
  'id', 'docId', 'docNumber', 'section', 'kind', 'text', 'lead', 'partners', 'recipient', 'via',
  'deadline_type', 'deadline_raw', 'deadline_start', 'deadline_end', 'deadline_month', 'deadline_day', 'approval', 'evidence',
] as const;

/** Separator of list cells (lead, partners); unit names contain commas, so a semicolon is used. */
export const CSV_LIST_SEPARATOR = '; ';

/** A cell a spreadsheet would run as a formula: starts with = + - @, tab or CR (OWASP "CSV injection"). Example: `=HYPERLINK(…)`. */
const FORMULA_START_RE = /^[=+\-@\t\r]/;

/** A CSV field that needs quotes, e.g. `Sở Y tế, Sở Tài chính`. */
const CSV_QUOTE_NEEDED_RE = /[",\r\n]/;
/** A double quote to double inside a CSV field, e.g. the `"` of `Đề án "Chuyển đổi số"`. */
const DOUBLE_QUOTE_RE = /"/g;

/** One CSV cell: formula starts neutralised with a leading `'` (OWASP), then RFC 4180 quoting where needed. */
function csvField(raw: string): string {
  const formula = FORMULA_START_RE.test(raw);
  const v = formula ? `'${raw}` : raw;
  return formula || CSV_QUOTE_NEEDED_RE.test(v) ? `"${v.replace(DOUBLE_QUOTE_RE, '""')}"` : v;
}

/**
 * RFC 4180 CSV (CRLF line ends, quoted fields where needed) with a header row.
 * @example toCsv(obligations).split('\r\n')[0] === CSV_COLUMNS.join(',')
 */
export function toCsv(obligations: Obligation[]): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const o of obligations) {
    const d = o.deadline;
    const cells = [
      o.id, o.docId, o.docNumber ?? '', o.section, o.kind, o.text, o.lead.join(CSV_LIST_SEPARATOR), o.partners.join(CSV_LIST_SEPARATOR),
      o.recipient ?? '', o.via ?? '', d?.type ?? '', d?.raw ?? '', d?.start ?? '', d?.end ?? '',
      d?.month !== undefined ? String(d.month) : '', d?.day !== undefined ? String(d.day) : '', o.approval ?? '', o.evidence,
    ];
    rows.push(cells.map(csvField).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

/** A backslash to escape in iCalendar text, e.g. the `\\` of `a\\b`. */
const BACKSLASH_RE = /\\/g;
/** A semicolon to escape in iCalendar text, e.g. the `;` of `a; b`. */
const SEMICOLON_RE = /;/g;
/** A comma to escape in iCalendar text, e.g. the `,` of `Sở Y tế, Sở Tài chính`. */
const COMMA_RE = /,/g;
/** A line break to escape in iCalendar text, e.g. `\r\n`. */
const LINE_BREAK_RE = /\r?\n/g;

/** iCalendar TEXT escaping (RFC 5545 §3.3.11). */
function icsText(s: string): string {
  return s.replace(BACKSLASH_RE, '\\\\').replace(SEMICOLON_RE, '\\;').replace(COMMA_RE, '\\,').replace(LINE_BREAK_RE, '\\n');
}

/** Maximum octets of a content line before folding (RFC 5545 §3.1). */
const ICS_LINE_OCTETS = 75;

/** Folds a content line at 75 octets without splitting a UTF-8 character. */
function fold(line: string): string {
  const parts: string[] = [];
  let cur = '';
  let bytes = 0;
  let limit = ICS_LINE_OCTETS;
  for (const ch of line) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > limit) {
      parts.push(cur);
      cur = '';
      bytes = 0;
      limit = ICS_LINE_OCTETS - 1; // continuation lines start with a space
    }
    cur += ch;
    bytes += b;
  }
  parts.push(cur);
  return parts.join('\r\n ');
}

/** The hyphens of an ISO date, e.g. in `2024-12-15`. */
const HYPHEN_RE = /-/g;

function ymd(iso: string): string {
  return iso.replace(HYPHEN_RE, '');
}
function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export interface IcsOptions {
  /** DTSTAMP of every event; fixed by callers that need byte-stable output. */
  now?: Date;
  /** Year of the first occurrence of a yearly deadline when the document's own year is unknown. */
  fallbackYear?: number;
}

/** A year that ends a text, e.g. the `2030` of `đến năm 2030`. */
const TRAILING_YEAR_RE = /(\d{4})\s*$/;

/** The year a document was issued: its date, or a year on its date line (`năm 2024`). */
function docYear(meta: DocMeta | undefined): number | null {
  if (meta?.date) return +meta.date.slice(0, 4);
  const m = TRAILING_YEAR_RE.exec(meta?.dateRaw ?? '');
  return m ? +m[1]! : null;
}

/** When an obligation's event falls: one all-day date, recurring yearly or not. Null when it has no calendar date. */
function eventDate(o: Obligation, meta: DocMeta | undefined, fallbackYear: number): { date: string; yearly: boolean; note: string } | null {
  const d = o.deadline;
  if (!d) return null;
  switch (d.type) {
    case 'annual': {
      const y0 = docYear(meta) ?? fallbackYear;
      if (d.month && d.day) {
        let y = y0;
        const first = `${y}-${pad(d.month)}-${pad(d.day)}`;
        // The first occurrence is the first one on or after the document's own date.
        if (meta?.date && first < meta.date) y += 1;
        return { date: `${y}-${pad(d.month)}-${pad(d.day)}`, yearly: true, note: '' };
      }
      return { date: `${y0}-12-31`, yearly: true, note: ' (yearly; the plan states no day: shown at year end)' };
    }
    case 'date':
      return d.end ?? d.start ? { date: (d.end ?? d.start)!, yearly: false, note: '' } : null;
    case 'quarter':
    case 'year':
    case 'range':
    case 'period':
      if (d.end) return { date: d.end, yearly: false, note: ' (end of period)' };
      if (d.start) return { date: d.start, yearly: false, note: ' (from this date)' };
      return null;
    default:
      return null;
  }
}

/** Stable UID of an obligation's event. */
function uid(o: Obligation): string {
  return `${createHash('sha1').update(o.id).digest('hex').slice(0, 20)}@plancite`;
}

/** The hyphens and colons of an ISO timestamp, e.g. in `2024-12-15T08:00:00`. */
const DATE_TIME_PUNCT_RE = /[-:]/g;
/** Milliseconds and Z ending an ISO timestamp, e.g. the `.000Z` of `…T08:00:00.000Z`. */
const MILLISECONDS_Z_RE = /\.\d{3}Z$/;

/**
 * An iCalendar (RFC 5545) with one all-day VEVENT per dated or recurring deadline: yearly deadlines carry
 * `RRULE:FREQ=YEARLY`; quarters, years and ranges fall on their last day. DESCRIPTION holds the task and its
 * citation `[docNumber §section]`.
 * @example toIcs(filterObligations(all, { kind: 'report' }, ctx), metas)
 */
export function toIcs(obligations: Obligation[], metas: DocMeta[], opts: IcsOptions = {}): string {
  const now = opts.now ?? new Date();
  const stamp = now.toISOString().replace(DATE_TIME_PUNCT_RE, '').replace(MILLISECONDS_Z_RE, 'Z');
  const fallbackYear = opts.fallbackYear ?? now.getUTCFullYear();
  const byId = new Map(metas.map((m) => [m.id, m]));
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//plancite//task register//VI', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  for (const o of obligations) {
    const meta = byId.get(o.docId);
    const when = eventDate(o, meta, fallbackYear);
    if (!when) continue;
    const cite = `[${o.docNumber ?? meta?.number ?? o.docId} §${o.section}]`;
    const who = o.lead.length ? o.lead.join(', ') : 'Chưa xác định đơn vị';
    const summary = `${who}: ${clipAtWord(o.text, 90, '…')}`;
    const desc = [
      o.text,
      `${cite}`,
      `Thời hạn: ${o.deadline!.raw}${when.note}`,
      o.recipient ? `Báo cáo/gửi: ${o.recipient}${o.via ? ` (qua ${o.via})` : ''}` : '',
      o.partners.length ? `Phối hợp: ${o.partners.join(', ')}` : '',
    ].filter(Boolean).join('\n');
    lines.push(
      'BEGIN:VEVENT',
      `UID:${uid(o)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${ymd(when.date)}`,
      `DTEND;VALUE=DATE:${ymd(nextDay(when.date))}`,
      ...(when.yearly ? ['RRULE:FREQ=YEARLY'] : []),
      `SUMMARY:${icsText(summary)}`,
      `DESCRIPTION:${icsText(desc)}`,
      `CATEGORIES:${icsText(o.kind)}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
