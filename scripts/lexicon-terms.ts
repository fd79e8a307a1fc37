// Lists candidate Vietnamese terms for data/lexicon.json: the frequent 2–4-syllable terms of the corpus's headings
// (article titles "Điều N. <title>", Phần/Chương/Mục headings, plan parts and items), with their frequencies, and
// whether the glossary or the lexicon already covers them. The lexicon's Vietnamese side is chosen from this list
// (never from evaluation questions), so it can be rebuilt and extended when the corpus grows.
// Run: npx tsx scripts/lexicon-terms.ts [--min-docs N] [--all] DIR… > terms.tsv
//   columns: term, documents whose headings hold it, headings holding it, covered (glossary | lexicon | -)
// Check: npx tsx scripts/lexicon-terms.ts --check DIR… lists each lexicon term no heading holds, with the number of
//   documents whose text holds it (a term must be in a heading or in the text of at least MIN_TEXT_DOCS documents).
import path from 'node:path';
import { listCorpusFiles, loadFile } from '../src/ingest/load.ts';
import { parseOutline } from '../src/ingest/outline.ts';
import { dataFile, loadCues } from '../src/text/cues.ts';
import { loadGlossary } from '../src/text/glossary.ts';
import { loadLexicon } from '../src/text/lexicon.ts';
import { normalizeForMatch } from '../src/text/normalize.ts';
import type { SectionKind } from '../src/doc/types.ts';

/** Section kinds whose heading is a title (laws: articles and divisions; plans: parts, items, appendices). */
const TITLED_KINDS: ReadonlySet<SectionKind> = new Set(['article', 'division', 'part', 'item', 'subitem', 'appendix']);
/** Longest heading (in syllables) read as a title: a longer item line is a sentence of content, not a heading. */
const MAX_TITLE_SYLLABLES = 16;
/** Shortest and longest candidate term, in syllables. */
const MIN_TERM = 2;
const MAX_TERM = 4;
/**
 * A term is dropped as a mere piece of a longer one when the longer term occurs in at least this share of its
 * headings ("đồng lao động" inside "hợp đồng lao động").
 */
const NESTED_SHARE = 0.8;
/** Fewest documents whose text must hold a lexicon term that no heading holds (--check). */
const MIN_TEXT_DOCS = 3;
/** Default minimum number of documents whose headings hold a term. */
const DEFAULT_MIN_DOCS = 3;

/** A break inside a heading: punctuation, brackets, dashes, e.g. the `,` of `an toàn, vệ sinh lao động`. */
const BREAK_RE = /[,;:.()"“”'‘’\/\[\]–—-]+/u;
/** A syllable of letters, e.g. `động`. */
const SYLLABLE_RE = /^\p{L}+$/u;
/** Function words that may stand inside a term but never begin or end one (`quyền và nghĩa vụ`). */
const INNER_ONLY = new Set(['và']);
/** Function words that end or begin no term and break none either, beyond the stop list (`đối với`, `trường hợp`). */
const EDGE_WORDS = ['việc', 'sự', 'mà', 'nếu', 'bị', 'không', 'trừ'];

/** A run of white space, e.g. the space of `bảo hiểm`. */
const WHITESPACE_RE = /\s+/u;
/** A run of characters that are neither letters nor digits, e.g. `, ` or ` - `. */
const NON_WORD_RUN_RE = /[^\p{L}\p{N}]+/gu;

/** A text's words in matching form, lower case, one space apart: `Bảo hiểm, xã hội` → `bảo hiểm xã hội`. */
function wordsOf(text: string): string {
  return normalizeForMatch(text).toLowerCase().replace(NON_WORD_RUN_RE, ' ').trim();
}

const args = process.argv.slice(2);
let minDocs = DEFAULT_MIN_DOCS;
let all = false;
let check = false;
const dirs: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--min-docs') minDocs = Number(args[++i]);
  else if (a === '--all') all = true;
  else if (a === '--check') check = true;
  else dirs.push(a);
}
if (dirs.length === 0) {
  console.error('usage: npx tsx scripts/lexicon-terms.ts [--min-docs N] [--all] [--check] DIR…');
  process.exit(2);
}

const stop = new Set([...(loadCues(dataFile('stopwords.json')).vi ?? []), ...EDGE_WORDS].map((w) => normalizeForMatch(w)));
const titles = new Map<string, number>();
/** Each term's spellings as written (lower case, NFC) with their counts: the list shows the most frequent. */
const spellings = new Map<string, Map<string, number>>();
const docsOf = new Map<string, Set<string>>();
let files = 0;
let headings = 0;
/** Every title heading (matching form, lower case, padded with spaces) and every document text (same form), for --check. */
const titleTexts: string[] = [];
const docTexts: string[] = [];
for (const dir of dirs) {
  for (const file of await listCorpusFiles(dir)) {
    let text: string;
    try {
      text = (await loadFile(file)).text;
    } catch {
      continue;
    }
    files++;
    const doc = path.basename(file);
    if (check) docTexts.push(` ${wordsOf(text)} `);
    for (const s of parseOutline(text)) {
      if (!TITLED_KINDS.has(s.kind) || !s.heading) continue;
      const words = normalizeForMatch(s.heading).toLowerCase().split(WHITESPACE_RE);
      if (words.length > MAX_TITLE_SYLLABLES) continue;
      headings++;
      if (check) titleTexts.push(` ${wordsOf(s.heading)} `);
      const seen = new Set<string>();
      for (const piece of s.heading.normalize('NFC').toLowerCase().split(BREAK_RE)) {
        const written = piece.split(WHITESPACE_RE).filter((w) => w.length > 0);
        const syl = written.map((w) => normalizeForMatch(w));
        for (let i = 0; i < syl.length; i++) {
          for (let n = MIN_TERM; n <= MAX_TERM && i + n <= syl.length; n++) {
            const span = syl.slice(i, i + n);
            if (!span.every((w) => SYLLABLE_RE.test(w))) break;
            const first = span[0]!;
            const last = span[n - 1]!;
            if (stop.has(first) || stop.has(last) || INNER_ONLY.has(first) || INNER_ONLY.has(last)) continue;
            if (span.slice(1, -1).some((w) => stop.has(w) && !INNER_ONLY.has(w))) continue;
            const key = span.join(' ');
            seen.add(key);
            const forms = spellings.get(key) ?? spellings.set(key, new Map()).get(key)!;
            const form = written.slice(i, i + n).join(' ');
            forms.set(form, (forms.get(form) ?? 0) + 1);
          }
        }
      }
      for (const t of seen) {
        titles.set(t, (titles.get(t) ?? 0) + 1);
        (docsOf.get(t) ?? docsOf.set(t, new Set()).get(t)!).add(doc);
      }
    }
  }
}

if (check) {
  let bad = 0;
  let total = 0;
  for (const e of loadLexicon().entries) {
    for (const v of e.vi) {
      total++;
      const k = ` ${wordsOf(v)} `;
      if (titleTexts.some((t) => t.includes(k))) continue;
      const inText = docTexts.filter((t) => t.includes(k)).length;
      if (inText >= MIN_TEXT_DOCS) continue;
      bad++;
      console.log(`${v}\tno heading\t${inText} documents\t(entry "${e.en[0]}")`);
    }
  }
  console.error(`lexicon-terms --check: ${total} lexicon terms, ${bad} neither in a heading nor in ${MIN_TEXT_DOCS}+ documents`);
  process.exit(bad === 0 ? 0 : 1);
}

// Drop pieces of longer terms: a term whose headings are nearly all those of one longer term that contains it.
const byLength = [...titles.keys()].sort((a, b) => b.split(' ').length - a.split(' ').length);
const nested = new Set<string>();
for (const long of byLength) {
  const syl = long.split(' ');
  for (let n = MIN_TERM; n < syl.length; n++) {
    for (let i = 0; i + n <= syl.length; i++) {
      const part = syl.slice(i, i + n).join(' ');
      const f = titles.get(part);
      if (f !== undefined && titles.get(long)! >= NESTED_SHARE * f) nested.add(part);
    }
  }
}

const covered = new Map<string, string>();
for (const e of loadGlossary(undefined, null).entries) for (const v of e.vi) covered.set(normalizeForMatch(v).toLowerCase(), 'glossary');
for (const e of loadLexicon().entries) for (const v of e.vi) if (!covered.has(normalizeForMatch(v).toLowerCase())) covered.set(normalizeForMatch(v).toLowerCase(), 'lexicon');

const rows = [...titles]
  .filter(([t]) => !nested.has(t) && docsOf.get(t)!.size >= minDocs)
  .map(([t, f]) => ({ t, f, d: docsOf.get(t)!.size, c: covered.get(t) ?? '-', w: [...spellings.get(t)!].sort((a, b) => b[1] - a[1])[0]![0] }))
  .filter((r) => all || r.c === '-' || r.c === 'lexicon')
  .sort((a, b) => b.d - a.d || b.f - a.f || a.t.localeCompare(b.t));
console.error(`lexicon-terms: ${files} files, ${headings} headings, ${rows.length} terms held by >= ${minDocs} documents`);
for (const r of rows) console.log(`${r.w}\t${r.d}\t${r.f}\t${r.c}`);
