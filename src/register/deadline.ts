// Deadline parsing: Vietnamese time expressions of plans (quarters, months, years, yearly dates, "thường xuyên") → Obligation.deadline.
import type { Obligation } from '../doc/types.ts';

export type Deadline = NonNullable<Obligation['deadline']>;

const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4 };
const YEAR_MIN = 1990;
const YEAR_MAX = 2100;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function iso(y: number, m: number, d: number): string | null {
  if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1 || d > lastDay(y, m)) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}
function quarterBounds(y: number, q: number): { start: string; end: string } {
  const m0 = (q - 1) * 3 + 1;
  return { start: `${y}-${pad(m0)}-01`, end: `${y}-${pad(m0 + 2)}-${pad(lastDay(y, m0 + 2))}` };
}

interface Candidate {
  pos: number;
  /** Higher wins when choosing among prose candidates (specific dates beat vague recurrences). */
  rank: number;
  deadline: Deadline;
}

/** Specificity ranks: a stated date beats a quarter, which beats a vague recurrence. */
const RANK = { date: 6, annualDay: 5, quarter: 4, period: 3, yearRange: 3, annual: 2, schedule: 1, ongoing: 0 } as const;

/** `định kỳ hằng năm`, `hằng năm` after a day, `Hằng năm` opening a sentence — not `công tác hàng năm`. */
const ANNUAL_RE = /(?:định kỳ,?\s+(?:hằng|hàng)\s+năm|(?<=\d\s?)\s*(?:hằng|hàng)\s+năm|(?:^|[.;]\s*)(?:Hằng|Hàng)\s+năm)/gu;
const DAY_MONTH_RE = /(?:trước|chậm nhất|vào)\s+ngày\s+(\d{1,2})(?:\s+tháng\s+|\/)(\d{1,2})(?:(?:\s+năm\s+|\/)(\d{4}))?/gu;
const QUARTER_RE = /(từ\s+)?quý\s+(IV|III|II|I)\s*(?:\/|năm)\s*(\d{4})/gu;
const MONTH_RE = /(từ\s+|đầu\s+|cuối\s+|trong\s+|vào\s+|trước\s+)tháng\s+(\d{1,2})\s*(?:\/|năm)\s*(\d{4})/gu;
const FROM_YEAR_RE = /từ\s+năm\s+(\d{4})/gu;
const YEAR_LIST_RE = /(?:trong|vào)\s+các\s+năm\s+(\d{4})((?:\s*,\s*(?:năm\s+)?\d{4})*)\s+và\s+(?:năm\s+)?(\d{4})/gu;
const IN_YEAR_RE = /(?:hoàn thành|hoàn thành trong|trong)\s+năm\s+(\d{4})(?!\s*[-–]\s*\d)/gu;
const SCHEDULE_RE = /theo tiến độ/gu;
/** `thường xuyên` as an adverb of the task (not `trợ giúp thường xuyên`, `thường xuyên bị thiên tai`). */
const ONGOING_RE = /(?<!trợ giúp\s|chăm sóc\s|khu vực\s)thường xuyên(?!\s+(?:bị|và đột xuất|xảy ra))|định kỳ(?!,?\s+(?:hằng|hàng)\s+năm)/gu;

/** Stops and spaces before a phrase, e.g. `. ` before `Hằng năm`. */
const LEADING_STOPS_RE = /^[.;\s]+/u;
/** `hằng năm` right after a date, e.g. in `trước ngày 15/12 hằng năm`. */
const EACH_YEAR_NEXT_RE = /^\s*(?:hằng|hàng)\s+năm/u;

function candidates(s: string): Candidate[] {
  const out: Candidate[] = [];
  const annual = [...s.matchAll(ANNUAL_RE)];
  const days = [...s.matchAll(DAY_MONTH_RE)];
  for (const m of days) {
    const d = +m[1]!, mo = +m[2]!;
    if (m[3]) {
      const end = iso(+m[3], mo, d);
      if (end) out.push({ pos: m.index, rank: RANK.date, deadline: { raw: m[0], type: 'date', end } });
    } else if (annual.length > 0 && d >= 1 && d <= 31 && mo >= 1 && mo <= 12) {
      const a = annual[0]!;
      const raw = a.index < m.index ? `${a[0].replace(LEADING_STOPS_RE, '')} … ${m[0]}` : m[0] + (s.slice(m.index + m[0].length).match(EACH_YEAR_NEXT_RE)?.[0] ?? '');
      out.push({ pos: Math.min(a.index, m.index), rank: RANK.annualDay, deadline: { raw: raw.trim(), type: 'annual', month: mo, day: d } });
    }
  }
  if (annual.length > 0 && !out.some((c) => c.deadline.type === 'annual')) {
    const a = annual[0]!;
    out.push({ pos: a.index, rank: RANK.annual, deadline: { raw: a[0].replace(LEADING_STOPS_RE, '').trim(), type: 'annual' } });
  }
  for (const m of s.matchAll(QUARTER_RE)) {
    const q = ROMAN[m[2]!]!, y = +m[3]!;
    const b = quarterBounds(y, q);
    if (m[1]) out.push({ pos: m.index, rank: RANK.period, deadline: { raw: m[0], type: 'period', start: b.start } });
    else out.push({ pos: m.index, rank: RANK.quarter, deadline: { raw: m[0], type: 'quarter', ...b } });
  }
  for (const m of s.matchAll(MONTH_RE)) {
    const mo = +m[2]!, y = +m[3]!;
    const start = iso(y, mo, 1);
    if (!start) continue;
    if (m[1]?.startsWith('từ')) out.push({ pos: m.index, rank: RANK.period, deadline: { raw: m[0], type: 'period', start } });
    else out.push({ pos: m.index, rank: RANK.period, deadline: { raw: m[0], type: 'period', start, end: `${y}-${pad(mo)}-${pad(lastDay(y, mo))}` } });
  }
  for (const m of s.matchAll(FROM_YEAR_RE)) {
    out.push({ pos: m.index, rank: RANK.period, deadline: { raw: m[0], type: 'period', start: `${m[1]}-01-01` } });
  }
  for (const m of s.matchAll(YEAR_LIST_RE)) {
    out.push({ pos: m.index, rank: RANK.yearRange, deadline: { raw: m[0], type: 'range', start: `${m[1]}-01-01`, end: `${m[3]}-12-31` } });
  }
  for (const m of s.matchAll(IN_YEAR_RE)) {
    if (out.some((c) => c.pos <= m.index && m.index < c.pos + c.deadline.raw.length)) continue;
    out.push({ pos: m.index, rank: RANK.yearRange, deadline: { raw: m[0], type: 'year', start: `${m[1]}-01-01`, end: `${m[1]}-12-31` } });
  }
  for (const m of s.matchAll(SCHEDULE_RE)) out.push({ pos: m.index, rank: RANK.schedule, deadline: { raw: m[0], type: 'period' } });
  for (const m of s.matchAll(ONGOING_RE)) out.push({ pos: m.index, rank: RANK.ongoing, deadline: { raw: m[0], type: 'ongoing' } });
  return out;
}

/** Italic parentheticals `(*hoàn thành trong quý I/2024*)` that state a bullet's deadline. */
const ITALIC_PAREN_RE = /\(\*([^*()]+)\*\)/gu;

/** A run of white space, e.g. `\n  `. */
const SPACE_RUN_RE = /\s+/g;

/**
 * The deadline a task text states. An italic parenthetical `(*…*)` is the task's own deadline and wins
 * (its first time expression); otherwise the most specific expression in the prose.
 * @example parseDeadline('… (*hoàn thành trong quý I/2024*).') // { type: 'quarter', start: '2024-01-01', end: '2024-03-31' }
 */
export function parseDeadline(text: string): Deadline | null {
  const s = text.normalize('NFC').replace(SPACE_RUN_RE, ' ');
  for (const m of s.matchAll(ITALIC_PAREN_RE)) {
    const inner = m[1]!.trim();
    const cs = candidates(inner);
    const timed = cs.filter((c) => c.deadline.type !== 'ongoing').sort((a, b) => a.pos - b.pos);
    const pick = timed[0] ?? cs[0];
    // The parenthetical's whole wording is the raw deadline: it is how the plan states it.
    if (pick) return { ...pick.deadline, raw: inner };
  }
  const cs = candidates(s.replace(ITALIC_PAREN_RE, ''));
  if (cs.length === 0) return null;
  cs.sort((a, b) => b.rank - a.rank || a.pos - b.pos);
  return cs[0]!.deadline;
}

/** A cell stating a range of years, e.g. `Năm 2024 - 2025`. */
const YEAR_RANGE_CELL_RE = /^(?:năm\s+|từ năm\s+)?(\d{4})\s*[-–]\s*(?:năm\s+)?(\d{4})$/iu;
/** A cell stating one year, e.g. `Đến năm 2030` or `Trong năm 2024`. */
const YEAR_CELL_RE = /^(?:(?:trong\s+)?năm|đến năm|đến)\s+(\d{4})$/iu;
/** A cell that is a bare year, e.g. `2025`. */
const BARE_YEAR_CELL_RE = /^(\d{4})$/u;

/**
 * A table cell or column header stating when: `Năm 2022`, `Năm 2024 - 2025`, `Đến năm 2030`, `Quý II/2024`.
 * @example parseDeadlineCell('Năm 2024 - 2025') // { type: 'range', start: '2024-01-01', end: '2025-12-31' }
 */
export function parseDeadlineCell(cell: string): Deadline | null {
  const s = cell.normalize('NFC').replace(SPACE_RUN_RE, ' ').trim();
  if (!s) return null;
  let m = YEAR_RANGE_CELL_RE.exec(s);
  if (m && +m[1]! <= +m[2]!) return { raw: s, type: 'range', start: `${m[1]}-01-01`, end: `${m[2]}-12-31` };
  m = YEAR_CELL_RE.exec(s) ?? BARE_YEAR_CELL_RE.exec(s);
  if (m) return { raw: s, type: 'year', start: `${m[1]}-01-01`, end: `${m[1]}-12-31` };
  return parseDeadline(s);
}
