// Table rows as passages: a list question over a table gets the rows it asks for (the task register's lead unit,
// deadline and approval level of each row) and its row hits merged into row ranges in document order, so the list
// is one passage and a quote across a row boundary is found; any other question keeps one passage per row.
import type { Chunk, Obligation, StoredDoc } from '../doc/types.ts';
import { unitKey } from '../register/index.ts';
import { cueList, cueMatchers, dataFile, foldCueText } from '../text/cues.ts';
import { enTokens } from '../text/glossary.ts';
import { tokenize } from '../text/normalize.ts';
import { STOP_FOLDED } from '../text/stopwords.ts';
import type { QueryAnalysis } from './query.ts';

/** A table row's section path: its container, row word and number, e.g. `Phụ lục II/STT 8` or `TT 3`. */
const ROW_SECTION_RE = /^(?:(.*)\/)?(STT|TT) (\d+)$/u;
/** A month of a year written in a question, e.g. `tháng 12/2023` or `12/2023`. */
const MONTH_YEAR_RE = /(?<![\d/])(\d{1,2})\s*\/\s*(20\d\d)(?!\d)/;
/** A year written in a question, e.g. `2025`. */
const YEAR_RE = /(?<![\d/])(20\d\d)(?!\d)/;
/** A word of digits only, e.g. `1240`. */
const DIGITS_RE = /^\d+$/;

/** Rows of one table merged into a passage may be this many rows apart (0–2; 0: only consecutive rows join, so a
 * passage never shows rows that were not retrieved). */
export const ROW_MERGE_GAP = 0;

const CUES = cueMatchers(dataFile('answer-cues.json'));
/** Folded words of a text, e.g. `['phu', 'luc', 'ii']` of `Phụ lục II`. */
const words = (s: string): string[] => tokenize(foldCueText(s));
/** Words that ask for a list or point at an appendix (`liệt kê`, `which`, `annex`): they say nothing of which rows. */
const LIST_WORDS = new Set([...cueList(dataFile('list-cues.json'), 'listAsk'), ...cueList(dataFile('reference-words.json'), 'appendixWords')].flatMap(words));
const LIST_CUES = cueMatchers(dataFile('list-cues.json'));

/** One table row: its section, number and chunks (a long row is cut into several windows). */
export interface TableRow {
  section: string;
  num: string;
  chunks: Chunk[];
}

/** The rows of one table of a document, in document order. */
export interface Table {
  docId: string;
  /** The container's path (`Phụ lục II`), '' for a table outside any section. */
  prefix: string;
  /** The row-number word of its header (`STT`, `TT`). */
  word: string;
  rows: TableRow[];
}

/** Where a row section sits: its table key and number, or null for a section that is no table row. */
export function rowOf(section: string): { prefix: string; word: string; num: string } | null {
  const m = ROW_SECTION_RE.exec(section);
  return m ? { prefix: m[1] ?? '', word: m[2]!, num: m[3]! } : null;
}

/**
 * The tables of a document from its chunks (in document order): runs of row chunks with the same container and
 * row word. Rows of one table are chunked one after another, so any other chunk between them ends the table.
 * @example tablesOf(docs.chunksOf('qd-1240'))[1].rows.map((r) => r.num) // ['1', …, '9'] of Phụ lục II
 */
export function tablesOf(chunks: readonly Chunk[]): Table[] {
  const out: Table[] = [];
  let cur: Table | null = null;
  for (const c of chunks) {
    const r = rowOf(c.section);
    if (!r) {
      cur = null;
      continue;
    }
    if (!cur || cur.docId !== c.docId || cur.prefix !== r.prefix || cur.word !== r.word) {
      cur = { docId: c.docId, prefix: r.prefix, word: r.word, rows: [] };
      out.push(cur);
    }
    const last = cur.rows[cur.rows.length - 1];
    if (last && last.section === c.section) last.chunks.push(c);
    else cur.rows.push({ section: c.section, num: r.num, chunks: [c] });
  }
  return out;
}

/** The section path of rows lo…hi of a table, in the style of one row's: `Phụ lục II/STT 2-7`. */
export function rowRangePath(t: Pick<Table, 'prefix' | 'word'>, loNum: string, hiNum: string): string {
  const label = loNum === hiNum ? `${t.word} ${loNum}` : `${t.word} ${loNum}-${hiNum}`;
  return t.prefix ? `${t.prefix}/${label}` : label;
}

/**
 * One passage over rows lo…hi of a table: the document's text from the first row's start to the last row's end,
 * verbatim as any chunk (a header row repeated at a page break between them stays in).
 */
export function rowRangeChunk(t: Table, lo: number, hi: number, docText: string): Chunk {
  const first = t.rows[lo]!.chunks[0]!;
  const lastRow = t.rows[hi]!;
  const last = lastRow.chunks[lastRow.chunks.length - 1]!;
  const parts = t.rows.slice(lo, hi + 1).flatMap((r) => r.chunks);
  return {
    id: `${first.id}-${last.id.slice(last.id.lastIndexOf('#') + 1)}`,
    docId: t.docId,
    section: rowRangePath(t, t.rows[lo]!.num, lastRow.num),
    breadcrumb: first.breadcrumb,
    text: docText.slice(first.start, last.end),
    start: first.start,
    end: last.end,
    indexText: parts.map((c) => c.indexText).join('\n'),
  };
}

/** A ranked hit: a chunk, its score, and (for a row range) the row chunks it is made of. */
export interface RankedChunk {
  chunk: Chunk;
  score: number;
  parts?: Chunk[];
  /** A row the question asks for (rowsAsked): it merges only with other rows asked for. */
  asked?: boolean;
}

/**
 * Merges the row hits of one table that are next to each other (at most {@link ROW_MERGE_GAP} rows apart) into one
 * passage over the row range, at the rank of its best row; other hits keep their order. Rows the question asks for
 * merge only among themselves, so their passage holds exactly them. Stops when `k` passages
 * are made. `locate` gives a chunk's table and row index (null for a chunk that is no row), `build` the merged chunk.
 * @example mergeRowRuns(ranked, 10, locate, build) // rows 3, 2, 4 of Phụ lục II → one passage `Phụ lục II/STT 2-4`
 */
export function mergeRowRuns<T extends RankedChunk>(
  ranked: readonly T[], k: number,
  locate: (c: Chunk) => { table: Table; index: number } | null,
  build: (t: Table, lo: number, hi: number) => Chunk,
): T[] {
  type Run = { table: Table; lo: number; hi: number; asked: boolean };
  const out: Array<{ hit: T; run?: Run }> = [];
  for (const hit of ranked) {
    const at = locate(hit.chunk);
    const asked = !!hit.asked;
    const touches = (r: Run | undefined, lo: number, hi: number) =>
      !!r && r.table === at?.table && r.asked === asked && lo <= r.hi + 1 + ROW_MERGE_GAP && r.lo - 1 - ROW_MERGE_GAP <= hi;
    const into = at ? out.find((o) => touches(o.run, at.index, at.index)) : undefined;
    if (at && into) {
      const run = into.run!;
      run.lo = Math.min(run.lo, at.index);
      run.hi = Math.max(run.hi, at.index);
      // A row between two runs joins them: the later-ranked one goes into the earlier.
      for (let i = out.length - 1; i >= 0; i--) {
        const o = out[i]!;
        if (o !== into && touches(o.run, run.lo, run.hi)) {
          run.lo = Math.min(run.lo, o.run!.lo);
          run.hi = Math.max(run.hi, o.run!.hi);
          out.splice(i, 1);
        }
      }
      continue;
    }
    if (out.length >= k) break;
    out.push({ hit, run: at ? { table: at.table, lo: at.index, hi: at.index, asked } : undefined });
  }
  return out.map(({ hit, run }) => {
    if (!run || (run.lo === run.hi && run.table.rows[run.lo]!.chunks.length === 1)) return hit;
    return { ...hit, chunk: build(run.table, run.lo, run.hi), parts: run.table.rows.slice(run.lo, run.hi + 1).flatMap((r) => r.chunks) };
  });
}

/** Does the question ask for a list ("những … nào", "liệt kê", "which … are")? */
export function asksForList(question: string): boolean {
  return LIST_CUES.listAsk!.test(foldCueText(question));
}

/** The period a question names: a month of a year, or a year, as ISO dates [start, end]. */
export function periodAsked(question: string): { start: string; end: string; label: string } | null {
  const m = MONTH_YEAR_RE.exec(question);
  if (m && +m[1]! >= 1 && +m[1]! <= 12) {
    const mm = m[1]!.padStart(2, '0');
    const last = new Date(Date.UTC(+m[2]!, +m[1]!, 0)).getUTCDate();
    return { start: `${m[2]}-${mm}-01`, end: `${m[2]}-${mm}-${last}`, label: `${+m[1]!}/${m[2]}` };
  }
  const y = YEAR_RE.exec(question);
  return y ? { start: `${y[1]}-01-01`, end: `${y[1]}-12-31`, label: y[1]! } : null;
}

/** Does a record fall due within a period (its deadline range overlaps it)? Yearly and ongoing ones do not. */
export function dueWithin(o: Obligation, p: { start: string; end: string }): boolean {
  const d = o.deadline;
  if (!d || d.type === 'annual' || d.type === 'ongoing') return false;
  const a = d.start ?? d.end;
  const b = d.end ?? d.start;
  return !!a && !!b && a <= p.end && p.start <= b;
}

/** The rows of named tables a list question asks for, each row by its first register record. */
export interface RowsAsked {
  /** The container the question names (`Phụ lục II`). */
  prefix: string;
  /** One record per matching row, documents in the order given, rows in document order. */
  rows: Obligation[];
  /** The units asked about, and whether only as lead unit (`do … chủ trì`, `led by`). */
  units: string[];
  leadOnly: boolean;
  period: { start: string; end: string; label: string } | null;
}

/**
 * What a table lists, in the document's words: the text of its container before the table (the appendix's number,
 * title and `Kèm theo …` line), the header row of its tables, and the document's type and title.
 * @example tableDescription(doc, 'Phụ lục II') // 'Phụ lục II CHƯƠNG TRÌNH, ĐỀ ÁN … STT | Nhiệm vụ | … Quyết định …'
 */
export function tableDescription(doc: Pick<StoredDoc, 'meta' | 'sections' | 'text'>, prefix: string): string {
  const container = doc.sections.find((s) => s.path === prefix);
  const tables = doc.sections.filter((s) => s.kind === 'table' && s.parent === prefix);
  const intro = container ? doc.text.slice(container.start, tables[0]?.start ?? container.end) : '';
  return [intro, ...tables.map((t) => t.heading), doc.meta.type ?? '', doc.meta.title].join('\n');
}

/**
 * Does a list question ask for every row of a table: besides list words, the document it names and the appendix,
 * does it use only words of what the table lists (`Phụ lục II gồm những chương trình, đề án nào?` over a table titled
 * `CHƯƠNG TRÌNH, ĐỀ ÁN …`)? A word of its own (`về trẻ em`) narrows it to some rows, which ranking finds.
 */
function asksWholeTable(q: Pick<QueryAnalysis, 'question' | 'sectionRefs' | 'docRefs'>, description: string, english: readonly EnglishTerm[]): boolean {
  const known = new Set(words(`${description} ${q.sectionRefs.map((r) => r.prefix).join(' ')} ${q.docRefs.map((r) => r.raw).join(' ')}`));
  // An English word counts as the table's when the glossary term it is part of translates to the table's words
  // ("schemes" → đề án over a table of CHƯƠNG TRÌNH, ĐỀ ÁN).
  const covered = new Set(english.filter((t) => t.vi.some((p) => words(p).every((w) => known.has(w)))).flatMap((t) => words(t.asked)));
  const isCovered = (t: string) => covered.has(t) || enTokens(t).some((e) => covered.has(e));
  return words(q.question).every((t) => STOP_FOLDED.has(t) || LIST_WORDS.has(t) || known.has(t) || DIGITS_RE.test(t) || isCovered(t));
}

/** An English term of a question: the question's words it matched and the Vietnamese phrases the glossary gives it (glossary.ts Expansion.matched). */
export interface EnglishTerm {
  asked: string;
  vi: string[];
}

/**
 * "Which tasks in Appendix II are led by X", "những đề án nào trong phụ lục II có thời hạn năm 2026": a question
 * asking for a list that names a section holding table rows (in one of `docIds`) and a unit or a period. The rows
 * of that table whose register record has the unit (as lead only when the question says lead; else in any unit
 * column: lead, partners, recipient, approval) and falls due in the period; with neither, every row when the
 * question asks for the whole table (`docOf` gives the documents, whose tables {@link tableDescription} describes;
 * `english`, the glossary terms of an English question). Null when the
 * question is not such a list, narrows it otherwise, or no row matches (the ranking then stands as it is).
 * @example rowsAsked(analyze('Liệt kê các nhiệm vụ trong Phụ lục II do Cục Trẻ em chủ trì'), ['Cục Trẻ em'], ['qd-1240'], recordsOf)
 */
export function rowsAsked(
  q: Pick<QueryAnalysis, 'question' | 'sectionRefs' | 'docRefs'>, units: string[], docIds: string[], recordsOf: (docId: string) => readonly Obligation[],
  docOf?: (docId: string) => Pick<StoredDoc, 'meta' | 'sections' | 'text'> | null | undefined,
  english: readonly EnglishTerm[] = [],
): RowsAsked | null {
  if (q.sectionRefs.length === 0 || !asksForList(q.question)) return null;
  const period = periodAsked(q.question);
  const keys = new Set(units.map(unitKey));
  const whole = keys.size === 0 && !period;
  if (whole && !docOf) return null;
  const leadOnly = keys.size > 0 && CUES.leads!.test(foldCueText(q.question));
  const hasUnit = (o: Obligation) => {
    const names = leadOnly ? o.lead : [...o.lead, ...o.partners, ...(o.recipient ? [o.recipient] : []), ...(o.approval ? [o.approval] : [])];
    return names.some((n) => keys.has(unitKey(n)));
  };
  for (const ref of q.sectionRefs) {
    const rows: Obligation[] = [];
    for (const id of docIds) {
      const doc = whole ? docOf!(id) : null;
      if (whole && (!doc || !asksWholeTable(q, tableDescription(doc, ref.prefix), english))) continue;
      // A row with several records (`Trong đó …` under a target) is listed once, by the first that matches.
      const listed = new Set<string>();
      for (const o of recordsOf(id)) {
        const r = rowOf(o.section);
        if (!r || (r.prefix !== ref.prefix && !r.prefix.startsWith(`${ref.prefix}/`)) || listed.has(o.section)) continue;
        if ((keys.size === 0 || hasUnit(o)) && (!period || dueWithin(o, period))) {
          listed.add(o.section);
          rows.push(o);
        }
      }
    }
    if (rows.length > 0) return { prefix: ref.prefix, rows, units, leadOnly, period };
  }
  return null;
}
