// CSV and iCalendar exports of the register: CSV round-trips, the .ics is read back by node-ical.
import ical, { type CalendarComponent, type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, CSV_LIST_SEPARATOR, filterObligations, toCsv, toIcs } from '../../src/register/index.ts';
import { loadCorpusRegister } from './corpus.ts';

const isEvent = (e: CalendarComponent | undefined): e is VEvent => e?.type === 'VEVENT';

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF inside quotes). */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = '', q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && s[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  return rows;
}

describe('exports', () => {
  const { obligations, docs, lineage } = loadCorpusRegister();
  const metas = docs.map((d) => d.meta);

  it('CSV round-trips every record field, header first', () => {
    const rows = parseCsv(toCsv(obligations));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length - 1).toBe(obligations.length);
    obligations.forEach((o, i) => {
      const r = Object.fromEntries(CSV_COLUMNS.map((c, j) => [c, rows[i + 1]![j]!]));
      expect(r.id).toBe(o.id);
      expect(r.text).toBe(o.text);
      expect(r.evidence).toBe(o.evidence);
      expect(r.lead ? r.lead.split(CSV_LIST_SEPARATOR) : []).toEqual(o.lead);
      expect(r.recipient || null).toBe(o.recipient);
      expect(r.deadline_type || null).toBe(o.deadline?.type ?? null);
    });
  });

  it('.ics parses with node-ical: dated events, yearly recurrences, citations, stable UIDs', () => {
    const reports = filterObligations(obligations, { doc: 'NQ 42', kind: 'report' }, { metas, lineage });
    const now = new Date('2024-08-01T00:00:00Z');
    const ics = toIcs(reports, metas, { now });
    expect(toIcs(reports, metas, { now })).toBe(ics);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const events = Object.values(ical.sync.parseICS(ics)).filter(isEvent);
    const dated = reports.filter((o) => o.deadline && o.deadline.type !== 'ongoing' && (o.deadline.type === 'annual' || o.deadline.end || o.deadline.start));
    expect(events.length).toBe(dated.length);
    const desc = (e: VEvent): string => String(e.description ?? '');
    const molisa = events.find((e) => desc(e).includes('[68/NQ-CP §III.3.d]'));
    expect(molisa, 'III.3.d event').toBeDefined();
    expect(molisa!.rrule?.toString()).toContain('FREQ=YEARLY');
    const start = molisa!.start as Date;
    expect([start.getFullYear(), start.getMonth() + 1, start.getDate()]).toEqual([2024, 12, 15]);
    expect(desc(molisa!)).toContain('gửi Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12');
    const bn = events.find((e) => desc(e).includes('§IV.3]') && desc(e).includes('Ban Thường vụ Tỉnh ủy'));
    expect(bn?.rrule?.toString()).toContain('FREQ=YEARLY');
    expect([(bn!.start as Date).getMonth() + 1, (bn!.start as Date).getDate()]).toEqual([11, 10]);
    // A quarter deadline lands on the quarter's last day, not recurring.
    const q = toIcs(obligations.filter((o) => o.deadline?.type === 'quarter').slice(0, 1), metas, { now });
    const qe = Object.values(ical.sync.parseICS(q)).find(isEvent)!;
    expect(qe.rrule).toBeUndefined();
    expect((qe.start as Date).getDate()).toBeGreaterThanOrEqual(30);
  });
});
