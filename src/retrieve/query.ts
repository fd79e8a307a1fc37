// Query analysis: language, diacritics, document and section references, intent.
import { foldDiacritics, hasNoDiacritics, normalizeForMatch } from '../text/normalize.ts';
import { numberKey } from '../doc/numbers.ts';
import type { DocMeta } from '../doc/types.ts';
import { collisionSet } from './signals.ts';
import { cueList, cueMatchers, dataFile, foldCueText, loadWordMap } from '../text/cues.ts';
import { escapeRegExp } from '../text/strings.ts';
import { docType, typeAbbreviations, typeHintWords, typeWordKey } from '../doc/doctypes.ts';
import { isVietnameseSyllable } from '../text/syllables.ts';
import { findEnglishLawRefs } from './english-laws.ts';
import { documentAliases, englishTitle } from '../doc/label.ts';
import { docsByIssuerAndType } from './issuers.ts';

export type Intent = 'who' | 'when' | 'who+when' | 'what' | 'number' | 'list' | 'metadata' | 'compare';

import type { DocRef } from './doc-ref.ts';
export type { DocRef };

export interface SectionRef {
  /** Path prefix, e.g. `Phụ lục II`, `Điều 3`, `IV`. */
  prefix: string;
}

export interface QueryAnalysis {
  question: string;
  language: 'vi' | 'en';
  diacritics: boolean;
  docRefs: DocRef[];
  sectionRefs: SectionRef[];
  intent: Intent;
  /** The question asks about the closing of a document: who signed, in what capacity, when adopted, to whom sent. */
  closing: boolean;
}

/** A run of white space, e.g. the space in `2019 / QH14` or between `phu` and `luc`. */
const SPACE_RUN_RE = /\s+/g;

/**
 * Words that name a document type before a number in a folded question (`nghi quyet`, `nq`, `resolution`, `action
 * program`), with the symbols of its numbers (data/doc-types.json through typeHintWords). A word that is one
 * Vietnamese syllable once folded is left out, as in a question it is mostly that word: the symbol `ĐA` read as `da`
 * (the folded `đã`), `lệnh` (also 'command'); the other names of those types still count (`đề án`, `scheme`, `order`).
 */
const TYPE_HINT_SYMBOLS: ReadonlyMap<string, readonly string[]> = new Map(
  [...typeHintWords()].filter(([key]) => !isVietnameseSyllable(key)),
);
/** Any of {@link TYPE_HINT_SYMBOLS}' words as a whole word, longest first, e.g. `ke hoach hanh dong` in `ke hoach hanh dong so`. */
const TYPE_HINT_RE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[...TYPE_HINT_SYMBOLS.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
  'gu',
);

/**
 * The symbols of the type the last type word before a number names, or null (the text is keyed as the words are:
 * one space between words, so the words match as they are written in the data).
 * @example typeHintBefore('ke hoach thuc hien nghi quyet ') // ['NQ']
 */
function typeHintBefore(before: string): readonly string[] | null {
  let last: string | undefined;
  for (const m of typeWordKey(before).matchAll(TYPE_HINT_RE)) last = m[0];
  return last === undefined ? null : TYPE_HINT_SYMBOLS.get(last) ?? null;
}

/**
 * One list of the words that point at a document or a part of one (data/reference-words.json) as a regex
 * alternation over folded text, longest first: `appendixWords` gives `appendix|phu\s+luc|annex`.
 */
function referenceWords(list: string): string {
  const words = cueList(dataFile('reference-words.json'), list);
  const folded = [...new Set(words.map(foldCueText))].sort((a, b) => b.length - a.length);
  return folded.map((w) => escapeRegExp(w).replace(SPACE_RUN_RE, '\\s+')).join('|');
}

/**
 * A number in a folded question, bare or with its symbol: `42`, `68/nq-cp`, `45/2019/qh14`, `568 - ctr/bcsd`
 * (not inside a date `27/11/2023`, a decimal `1,5` or a percentage `30%`).
 */
const LOOSE_NUMBER_RE = /(?<![\d/.,])(\d{1,4})(?:\s*([-/])\s*((?:\d{4}\s*\/\s*)?[a-z][a-z0-9]*(?:[-/][a-z0-9]+)*))?(?![\d%])/g;
/** A number word ending the text before a number, e.g. `so ` in `ke hoach so 246`, `no. ` in `programme no. 568`. */
const NUMBER_WORD_END_RE = new RegExp(`(?<![\\p{L}\\p{N}])(?:${referenceWords('numberWords')})\\.?\\s*$`, 'u');

/** The year part that some numbers put before their symbol, e.g. `2020/` of `15/2020/NĐ-CP`. */
const YEAR_PART_RE = /^\d{4}\//;

/** Keys of the numbers seen so far (corpus numbers recur in every question); cleared when it grows past a bound. */
const KEYS = new Map<string, string>();
/** Most keys {@link keyOf} keeps. */
const KEYS_MAX = 100_000;

/** numberKey, remembered. */
function keyOf(n: string): string {
  let k = KEYS.get(n);
  if (k === undefined) {
    if (KEYS.size >= KEYS_MAX) KEYS.clear();
    KEYS.set(n, (k = numberKey(n)));
  }
  return k;
}

/**
 * A list's items grouped under the keys `keysOf` gives each (an item once per key, in list order), computed once
 * per list object and kept while the list lives.
 * @example groupedOnce(CACHE, ['42-NQ/TW', '42/2019/QH14'], (n) => [n.slice(0, 2)]).get('42') // ['42-NQ/TW', '42/2019/QH14']
 */
function groupedOnce<T, V>(cache: WeakMap<T[], Map<string, V[]>>, list: T[], keysOf: (item: T, at: number) => Iterable<string>, value: (item: T, at: number) => V): Map<string, V[]> {
  let map = cache.get(list);
  if (!map) {
    map = new Map();
    list.forEach((item, at) => {
      for (const k of new Set(keysOf(item, at))) (map!.get(k) ?? map!.set(k, []).get(k)!).push(value(item, at));
    });
    cache.set(list, map);
  }
  return map;
}

/** The known numbers grouped by their leading numeral (`42` → `42-NQ/TW`, `42/2019/QH14`), in their order; once per list. */
const BY_NUMERAL = new WeakMap<string[], Map<string, string[]>>();
/** The leading numeral of a number key and its separator (`42-`, `68/`). */
const NUMERAL_RE = /^(\d+)[-/]/;

function byNumeral(allNumbers: string[]): Map<string, string[]> {
  return groupedOnce(BY_NUMERAL, allNumbers, (n) => {
    const numeral = NUMERAL_RE.exec(keyOf(n))?.[1];
    return numeral === undefined ? [] : [numeral];
  }, (n) => n);
}

/** Places in the list of the documents carrying each number key, once per list of documents. */
const DOCS_BY_KEY = new WeakMap<DocMeta[], Map<string, number[]>>();

function docsByNumberKey(metas: DocMeta[]): Map<string, number[]> {
  return groupedOnce(DOCS_BY_KEY, metas, (d) => (d.number ? [keyOf(d.number)] : []), (_, at) => at);
}

/** Numbers that are years or percentages, not document numbers. */
function isYearLike(n: number): boolean {
  return n >= 1945 && n <= 2100;
}

/**
 * Finds document references: explicit numbers (`42-NQ/TW`, `68/NQ-CP`) and loose ones
 * (`Nghị quyết 42`, `NQ 42`, `Resolution 42`, `QĐ 1240`, `kế hoạch 246`, `No. 568`).
 */
export function findDocRefs(question: string, metas: DocMeta[], allNumbers: string[], implementersOf: (num: string) => string[]): DocRef[] {
  const folded = foldDiacritics(normalizeForMatch(question));
  const refs: DocRef[] = [];
  const seen = new Set<string>();
  for (const m of folded.matchAll(LOOSE_NUMBER_RE)) {
    const num = +m[1]!;
    if (isYearLike(num) && !m[3]) continue;
    const symbol = m[3] ? numberKey(m[3].replace(SPACE_RUN_RE, '')) : null;
    const before = folded.slice(Math.max(0, m.index - 40), m.index);
    const hint = typeHintBefore(before);
    if (!symbol && !hint && !NUMBER_WORD_END_RE.test(before)) continue;
    // Numbers whose key starts with this numeral and a separator (`42-…`, `42/…`).
    const sameNumeralAll = byNumeral(allNumbers).get(m[1]!) ?? [];
    const matching = sameNumeralAll.filter((n) => {
      const k = keyOf(n);
      if (symbol) return k.slice(m[1]!.length + 1).startsWith(symbol) || k.includes(symbol);
      if (hint) return hint.some((h) => k.slice(m[1]!.length + 1).replace(YEAR_PART_RE, '').startsWith(keyOf(h)));
      return true;
    });
    const cands = matching.length ? matching : hint ? [] : sameNumeralAll;
    if (cands.length === 0) continue;
    const uniq = [...new Set(cands.map(keyOf))].map((k) => cands.find((c) => keyOf(c) === k)!);
    const key = uniq.map(keyOf).join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    // Resolutions (NQ) first, then Party documents, when a loose number matches several.
    const ranked = [...uniq].sort((a, b) => rankNumber(a) - rankNumber(b));
    const chosen = ranked[0] ?? null;
    const targets = uniq.length > 1 && chosen ? [chosen] : uniq;
    const targetKeys = new Set(targets.map(keyOf));
    // Other documents carrying the same numeral (`Kết luận số 42-KL/TU` next to `42-NQ/TW`): the type
    // word or the preference for resolutions decided, and the answer says so.
    // Only numbers of the chosen one's family count (a Party resolution vs a Party conclusion), not laws.
    const sameNumeral = collisionSet(targets[0]!, sameNumeralAll.filter((n) => !targetKeys.has(keyOf(n))));
    const candidates = [...targets, ...sameNumeral];
    const ambiguous = candidates.length > 1;
    const byKey = docsByNumberKey(metas);
    const docIds = [...targetKeys].flatMap((k) => byKey.get(k) ?? []).sort((a, b) => a - b).map((at) => metas[at]!.id);
    const implementerIds = [...new Set(targets.flatMap((t) => implementersOf(t)))].filter((id) => !docIds.includes(id));
    refs.push({ raw: m[0], docIds, implementerIds, candidates, ambiguous, chosen: ambiguous ? targets[0] ?? null : chosen });
  }
  return [...refs, ...findNameRefs(question, metas, refs)];
}

/** A year written right after a reference (`BLLĐ 2019`, `Labour Code 2019`). */
const REF_YEAR_RE = /^\s*(?:nam\s+)?((?:19|20)\d{2})\b/;

/** British → American spellings (data/spelling.json). */
const SPELLING = loadWordMap(dataFile('spelling.json'));
/** A run of characters that are neither letters nor digits, e.g. `'s ` in `Labour Code's rules`. */
const NON_WORD_RUN_RE = /[^\p{L}\p{N}]+/gu;

/** Question text folded for name matching: no diacritics (`đ` → `d`), words only, British spellings as American. */
function foldName(s: string): string {
  const words = foldDiacritics(normalizeForMatch(s)).replace(NON_WORD_RUN_RE, ' ').trim().split(' ');
  return ` ${words.map((w) => SPELLING.get(w) ?? w).join(' ')} `;
}

/** Name forms of each document, worked out once per document (they depend on its metadata only). */
const NAME_FORMS = new WeakMap<DocMeta, string[]>();

/** Ways a question names a law or code: its title, its abbreviation (`BLLĐ`), its English names. */
function nameForms(meta: DocMeta): string[] {
  let forms = NAME_FORMS.get(meta);
  if (!forms) NAME_FORMS.set(meta, (forms = computeNameForms(meta)));
  return forms;
}

/**
 * The documents of a list by the opening of each of their name forms (its first two words, or its only word),
 * once per list: a form can only occur in a question that has its opening.
 */
const BY_FORM_OPENING = new WeakMap<DocMeta[], Map<string, number[]>>();

function docsByFormOpening(metas: DocMeta[]): Map<string, number[]> {
  return groupedOnce(BY_FORM_OPENING, metas, (meta) => nameForms(meta).map((form) => {
    const [a, b] = form.trim().split(' ');
    return b === undefined ? a! : `${a} ${b}`;
  }), (_, at) => at);
}

function computeNameForms(meta: DocMeta): string[] {
  if (!meta.name || !meta.type) return [];
  const forms = [`${meta.type} ${meta.name}`];
  const initials = meta.name.split(SPACE_RUN_RE).map((w) => w.charAt(0)).join('');
  for (const a of typeAbbreviations(meta.type)) if (a.length + initials.length >= 3) forms.push(`${a}${initials}`);
  const en = englishTitle(meta);
  if (en) forms.push(en, ...otherEnglishOrder(en, meta.type));
  forms.push(...documentAliases(meta.title));
  return [...new Set(forms.map(foldName))].filter((f) => f.trim().length >= 3);
}

/**
 * English names a type in both orders (`Law on Employment`, `Employment Law`; `Labour Code`, `Code on Labour`):
 * the other order than the one given.
 * @example otherEnglishOrder('Law on Occupational safety and health', 'Luật') // ['Occupational safety and health Law']
 */
export function otherEnglishOrder(en: string, type: string): string[] {
  const t = docType(type)?.en;
  if (!t) return [];
  if (en.startsWith(`${t} on `)) return [`${en.slice(t.length + 4)} ${t}`];
  if (en.endsWith(` ${t}`)) return [`${t} on ${en.slice(0, -t.length - 1)}`];
  return [];
}

/**
 * References by name (`Bộ luật Lao động`, `BLLĐ 2019`, `Labour Code`, `Luật Việc làm`, `Employment Law`): a
 * document whose title, abbreviation or English name the question contains. Several documents of one name
 * (two Labour Codes) are narrowed by a year written after the name, else the latest is chosen.
 */
export function findNameRefs(question: string, metas: DocMeta[], already: DocRef[] = []): DocRef[] {
  const q = foldName(question);
  const hits = new Map<string, { metas: DocMeta[]; at: number; form: string }>();
  // Only documents with a name form opening with a word (or two words) the question has are looked at.
  const words = q.trim().split(' ');
  const byOpening = docsByFormOpening(metas);
  const cands = new Set<number>();
  words.forEach((w, i) => {
    for (const key of [w, `${w} ${words[i + 1] ?? ''}`]) for (const at of byOpening.get(key) ?? []) cands.add(at);
  });
  for (const at of [...cands].sort((a, b) => a - b)) {
    const meta = metas[at]!;
    for (const form of nameForms(meta)) {
      const at = q.indexOf(form);
      if (at < 0) continue;
      const key = foldName(`${meta.type} ${meta.name}`);
      const h = hits.get(key) ?? { metas: [], at, form };
      if (!h.metas.includes(meta)) h.metas.push(meta);
      if (form.length > h.form.length) Object.assign(h, { at, form });
      hits.set(key, h);
      break;
    }
  }
  const out: DocRef[] = [];
  for (const h of hits.values()) {
    const year = REF_YEAR_RE.exec(q.slice(h.at + h.form.length - 1))?.[1];
    let cands = h.metas;
    if (year) {
      const same = cands.filter((m) => (m.date ?? '').startsWith(year) || (m.number ?? '').includes(`/${year}/`));
      if (same.length) cands = same;
    }
    cands = [...cands].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
    const chosen = cands[0]!;
    if (already.some((r) => r.docIds.includes(chosen.id))) continue;
    out.push({ raw: h.form.trim(), docIds: [chosen.id], implementerIds: [], candidates: cands.map((m) => m.number ?? m.id), ambiguous: false, chosen: chosen.number });
  }
  return out;
}

/** A resolution's symbol in a number key, e.g. `-NQ` of `42-NQ/TW`, `/NQ` of `68/NQ-CP`. */
const RESOLUTION_KEY_RE = /[-/]NQ/;
/** A plan's, programme's or decision's symbol in a number key, e.g. `-KH` of `19-KH/TW`, `/QD` of `1240/QD-LDTBXH`. */
const PLAN_OR_DECISION_KEY_RE = /[-/](KH|CTR|QD)/;

/** Preference among the numbers a loose reference fits: resolutions, then plans, programmes and decisions, then the rest. */
function rankNumber(n: string): number {
  const k = numberKey(n);
  if (RESOLUTION_KEY_RE.test(k)) return 0;
  if (PLAN_OR_DECISION_KEY_RE.test(k)) return 1;
  return 2;
}

/** `điểm a khoản 1 Điều 35`, `khoản 2 Điều 25` (folded): point, clause, article. */
const LEGAL_SECTION_RE = /\b(?:diem\s+([a-z])\s+)?khoan\s+(\d+)\s+dieu\s+(\d+)\b/g;
/** `Article 35(1)(a)`, `Art. 25(2)` (folded). */
const ARTICLE_EN_RE = /\b(?:article|art\.?)\s*(\d+)\s*\((\d+)\)(?:\s*\(([a-z])\))?/g;

/** An appendix and its numeral (folded), e.g. `phu luc ii`, `annex 2`. */
const APPENDIX_RE = new RegExp(`\\b(?:${referenceWords('appendixWords')})\\s+([ivx]+|\\d+)\\b`, 'g');
/** An article and its number (folded), e.g. `dieu 3`, `article 12`. */
const ARTICLE_RE = new RegExp(`\\b(?:${referenceWords('articleWords')})\\s+(\\d+)\\b`, 'g');
/** A part or section in Roman numerals (folded), e.g. `muc iii`, `part iv`. */
const PART_RE = new RegExp(`\\b(?:${referenceWords('partWords')})\\s+([ivx]+)\\b`, 'g');

/** Section references: `Phụ lục II`, `Appendix II`, `Điều 3`, `Article 3`, `khoản 2 Điều 25`, `Article 35(1)(a)`, `mục III`, `part IV`. */
export function findSectionRefs(question: string): SectionRef[] {
  const f = foldDiacritics(normalizeForMatch(question));
  const out: SectionRef[] = [];
  for (const m of f.matchAll(APPENDIX_RE)) out.push({ prefix: `Phụ lục ${m[1]!.toUpperCase()}` });
  for (const m of f.matchAll(LEGAL_SECTION_RE)) out.push({ prefix: `Điều ${m[3]}.${m[2]}${m[1] ? `.${m[1]}` : ''}` });
  for (const m of f.matchAll(ARTICLE_EN_RE)) out.push({ prefix: `Điều ${m[1]}.${m[2]}${m[3] ? `.${m[3]}` : ''}` });
  for (const m of f.matchAll(ARTICLE_RE)) if (!out.some((r) => r.prefix.startsWith(`Điều ${m[1]}.`))) out.push({ prefix: `Điều ${m[1]}` });
  for (const m of f.matchAll(PART_RE)) out.push({ prefix: m[1]!.toUpperCase() });
  return out;
}

/** Intent cue lists (data/query-cues.json), compiled once. */
const CUES = cueMatchers(dataFile('query-cues.json'));

/**
 * Intent of the question from cue words (vi, unaccented vi, en). A stated deadline cue ("trước ngày
 * nào", "by when") makes it a when-question even where issuing words are present ("phải hoàn thành việc
 * ban hành … trước ngày nào" asks for a deadline, not for a document's date). A number question asks for
 * a quantity ("bao nhiêu", "how many"); naming a level ("mức nào") is not asking for a figure.
 */
export function detectIntent(question: string): Intent {
  const f = foldCueText(question);
  const who = CUES.who!.test(f);
  const when = CUES.when!.test(f);
  if (asksClosing(question)) return 'metadata';
  if (CUES.compare!.test(f)) return 'compare';
  if (who && when) return 'who+when';
  if (CUES.metadata!.test(f) && !who && !CUES.deadline!.test(f)) return 'metadata';
  if (who) return 'who';
  if (when) return 'when';
  if (CUES.quantity!.test(f)) return 'number';
  if (CUES.list!.test(f)) return 'list';
  return 'what';
}

/** The question asks for a deadline or the date something is due (data/query-cues.json `deadline`). */
export function asksDeadline(question: string): boolean {
  return CUES.deadline!.test(foldCueText(question));
}

/**
 * A question about a document's closing (data/query-cues.json `signer` and `closing`): who signed it and in what
 * capacity, when and at which session a law was adopted, who it was sent to or where it is filed.
 * @example asksClosing('Luật này được thông qua ngày nào?') // true
 */
export function asksClosing(question: string): boolean {
  const f = foldCueText(question);
  return CUES.signer!.test(f) || CUES.closing!.test(f);
}

/** A province or city and its capitalised name in a header, e.g. `TỈNH BẮC NINH`, `Thành phố Hà Nội`. */
const HEADER_PLACE_RE = /\b(?:TỈNH|THÀNH PHỐ|[Tt]ỉnh|[Tt]hành phố)\s+(\p{Lu}[\p{L}]*(?:\s\p{Lu}[\p{L}]*){0,3})/u;
/** Most characters of a document's start searched for its place. */
const HEADER_PLACE_CHARS = 1500;

/** Province or city a document belongs to, from its header (`UBND TỈNH BẮC NINH`). */
export function docPlace(text: string, headerEnd: number): string | null {
  const head = text.slice(0, Math.min(headerEnd, HEADER_PLACE_CHARS));
  const m = HEADER_PLACE_RE.exec(head);
  return m ? m[1]!.trim() : null;
}

/** Folded place names of a list of document places, once per list. */
const FOLDED_PLACES = new WeakMap<ReadonlyArray<{ place: string }>, string[]>();

function foldedPlaces(places: ReadonlyArray<{ place: string }>): string[] {
  let out = FOLDED_PLACES.get(places);
  if (!out) FOLDED_PLACES.set(places, (out = places.map((p) => foldDiacritics(normalizeForMatch(p.place)))));
  return out;
}

/**
 * A place the question names (`tỉnh Bắc Ninh`, `Bac Ninh province`) selects the documents of that place,
 * like a document number does.
 */
export function findPlaceRefs(question: string, places: Array<{ docId: string; place: string }>): DocRef[] {
  const words = ` ${foldDiacritics(normalizeForMatch(question)).replace(NON_WORD_RUN_RE, ' ')} `;
  const refs: DocRef[] = [];
  const folded = foldedPlaces(places);
  for (const [i, { docId, place }] of places.entries()) {
    const p = folded[i]!;
    // A place narrows the search but does not name the document: it boosts like an implementer.
    if (p.length >= 3 && words.includes(` ${p} `)) refs.push({ raw: place, docIds: [], implementerIds: [docId], candidates: [], ambiguous: false, chosen: null, via: 'place' });
  }
  return refs;
}

/**
 * The documents a question names by issuer and type ("kế hoạch của Bộ Chính trị", "the Government's programme")
 * are a reference of their own, beside the number or place that selects them ("Nghị quyết 42" → its
 * implementers): none when the question names a document by number or name.
 * @example withIssuerRef([{ raw: '42', implementerIds: ['a', 'b'], … }], ['b']) // […, { raw: '', implementerIds: ['b'], via: 'issuer', … }]
 */
export function withIssuerRef(refs: DocRef[], byIssuer: string[]): DocRef[] {
  // A document named by number or name is the one the issuer phrase describes ("MOLISA's programme No. 568",
  // "Luật … của Quốc hội"): it points at nothing more.
  if (!byIssuer.length || refs.some((r) => r.docIds.length)) return refs;
  return [...refs, { raw: '', docIds: [], implementerIds: byIssuer, candidates: [], ambiguous: false, chosen: null, via: 'issuer' }];
}

export function analyzeQuery(
  question: string,
  ctx: {
    metas: DocMeta[];
    allNumbers: string[];
    implementersOf: (num: string) => string[];
    detectLanguage: (q: string) => 'vi' | 'en';
    places?: Array<{ docId: string; place: string }>;
    /** Vietnamese phrases the glossary gives a question (the issuers and types an English question names). */
    phrases?: (q: string) => string[];
    /** Vietnamese phrases the glossary and its lexicon give an English text (English names of laws). */
    translate?: (text: string) => string[];
  },
): QueryAnalysis {
  const language = ctx.detectLanguage(question);
  let refs = findDocRefs(question, ctx.metas, ctx.allNumbers, ctx.implementersOf);
  // A law named in English by a name the glossary does not list: when nothing else names a document.
  if (language === 'en' && ctx.translate && !refs.some((r) => r.docIds.length)) refs = [...refs, ...findEnglishLawRefs(question, ctx.metas, ctx.translate)];
  refs = [...refs, ...findPlaceRefs(question, ctx.places ?? [])];
  return {
    question,
    language,
    diacritics: !hasNoDiacritics(question),
    docRefs: withIssuerRef(refs, docsByIssuerAndType(question, ctx.metas, ctx.phrases?.(question) ?? [])),
    sectionRefs: findSectionRefs(question),
    intent: detectIntent(question),
    closing: asksClosing(question),
  };
}
