// Query analysis: language, diacritics, document and section references, intent.
import { foldDiacritics, hasNoDiacritics, normalizeForMatch } from '../text/normalize.ts';
import { numberKey } from '../doc/numbers.ts';
import type { DocMeta } from '../doc/types.ts';
import { cueMatchers, dataFile, foldCueText } from '../text/cues.ts';

export type Intent = 'who' | 'when' | 'who+when' | 'what' | 'number' | 'list' | 'metadata' | 'compare';

export interface DocRef {
  /** Number as the user wrote it, e.g. `42`, `1240`, `68/NQ-CP`. */
  raw: string;
  /** Documents that ARE the reference. */
  docIds: string[];
  /** Documents that implement it (directly or transitively). */
  implementerIds: string[];
  /** Numbers in the corpus that the reference could mean (`42-NQ/TW`, `42-KL/TU`). */
  candidates: string[];
  ambiguous: boolean;
  /** The candidate chosen when ambiguous (resolutions are preferred). */
  chosen: string | null;
}

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
}

/** Words that name a document type in a question (vi, unaccented vi, en) → abbreviation in numbers. */
const TYPE_HINTS: Array<[RegExp, string[]]> = [
  [/\b(nghi quyet|nq|resolution)\b/, ['NQ']],
  [/\b(quyet dinh|qd|decision)\b/, ['QĐ', 'QD']],
  [/\b(ke hoach|kh|plan)\b/, ['KH']],
  [/\b(chuong trinh hanh dong|chuong trinh|ctr|ctrhd|action program(me)?|program(me)?)\b/, ['CTr', 'CTR']],
  [/\b(ket luan|kl|conclusion)\b/, ['KL']],
  [/\b(chi thi|ct|directive)\b/, ['CT']],
];

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
  for (const m of folded.matchAll(/(?<![\d/.,])(\d{1,4})(?:\s*([-/])\s*([a-z][a-z0-9]*(?:[-/][a-z0-9]+)*))?(?![\d%])/g)) {
    const num = +m[1]!;
    if (isYearLike(num) && !m[3]) continue;
    const symbol = m[3] ? numberKey(m[3]) : null;
    const before = folded.slice(Math.max(0, m.index - 40), m.index);
    let hint: string[] | null = null;
    let hintPos = -1;
    for (const [re, abbrs] of TYPE_HINTS) {
      const all = [...before.matchAll(new RegExp(re.source, 'g'))];
      const last = all[all.length - 1];
      if (last && last.index > hintPos) {
        hintPos = last.index;
        hint = abbrs;
      }
    }
    if (!symbol && !hint && !/\b(so|no|number|số)\.?\s*$/.test(before)) continue;
    const matching = allNumbers.filter((n) => {
      const k = numberKey(n);
      if (!k.startsWith(`${m[1]}-`) && !k.startsWith(`${m[1]}/`)) return false;
      if (symbol) return k.slice(m[1]!.length + 1).startsWith(symbol) || k.includes(symbol);
      if (hint) return hint.some((h) => k.slice(m[1]!.length + 1).startsWith(numberKey(h)));
      return true;
    });
    const cands = matching.length ? matching : hint ? [] : allNumbers.filter((n) => numberKey(n).startsWith(`${m[1]}-`) || numberKey(n).startsWith(`${m[1]}/`));
    if (cands.length === 0) continue;
    const uniq = [...new Set(cands.map(numberKey))].map((k) => cands.find((c) => numberKey(c) === k)!);
    const key = uniq.map(numberKey).join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    // Resolutions (NQ) first, then Party documents, when a loose number matches several.
    const ranked = [...uniq].sort((a, b) => rankNumber(a) - rankNumber(b));
    const chosen = ranked[0] ?? null;
    const targets = uniq.length > 1 && chosen ? [chosen] : uniq;
    // Other documents carrying the same numeral (`Kết luận số 42-KL/TU` next to `42-NQ/TW`): the type
    // word or the preference for resolutions decided, and the answer says so.
    const sameNumeral = allNumbers.filter((n) => (numberKey(n).startsWith(`${m[1]}-`) || numberKey(n).startsWith(`${m[1]}/`)) && !targets.some((t) => numberKey(t) === numberKey(n)));
    const candidates = [...targets, ...new Set(sameNumeral)];
    const ambiguous = candidates.length > 1;
    const docIds = metas.filter((d) => d.number && targets.some((t) => numberKey(t) === numberKey(d.number!))).map((d) => d.id);
    const implementerIds = [...new Set(targets.flatMap((t) => implementersOf(t)))].filter((id) => !docIds.includes(id));
    refs.push({ raw: m[0], docIds, implementerIds, candidates, ambiguous, chosen: ambiguous ? targets[0] ?? null : chosen });
  }
  return refs;
}

function rankNumber(n: string): number {
  const k = numberKey(n);
  if (/[-/]NQ/.test(k)) return 0;
  if (/[-/](KH|CTR|QD)/.test(k)) return 1;
  return 2;
}

/** Section references: `Phụ lục II`, `Appendix II`, `Điều 3`, `Article 3`, `mục III`, `part IV`. */
export function findSectionRefs(question: string): SectionRef[] {
  const f = foldDiacritics(normalizeForMatch(question));
  const out: SectionRef[] = [];
  for (const m of f.matchAll(/\b(?:phu luc|appendix|annex)\s+([ivx]+|\d+)\b/g)) out.push({ prefix: `Phụ lục ${m[1]!.toUpperCase()}` });
  for (const m of f.matchAll(/\b(?:dieu|article)\s+(\d+)\b/g)) out.push({ prefix: `Điều ${m[1]}` });
  for (const m of f.matchAll(/\b(?:muc|phan|part|section)\s+([ivx]+)\b/g)) out.push({ prefix: m[1]!.toUpperCase() });
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
  if (CUES.signer!.test(f)) return 'metadata';
  if (CUES.compare!.test(f)) return 'compare';
  if (who && when) return 'who+when';
  if (CUES.metadata!.test(f) && !who && !CUES.deadline!.test(f)) return 'metadata';
  if (who) return 'who';
  if (when) return 'when';
  if (CUES.quantity!.test(f)) return 'number';
  if (CUES.list!.test(f)) return 'list';
  return 'what';
}

/** Province or city a document belongs to, from its header (`UBND TỈNH BẮC NINH`). */
export function docPlace(text: string, headerEnd: number): string | null {
  const head = text.slice(0, Math.min(headerEnd, 1500));
  const m = /\b(?:TỈNH|THÀNH PHỐ|[Tt]ỉnh|[Tt]hành phố)\s+(\p{Lu}[\p{L}]*(?:\s\p{Lu}[\p{L}]*){0,3})/u.exec(head);
  return m ? m[1]!.trim() : null;
}

/**
 * A place the question names (`tỉnh Bắc Ninh`, `Bac Ninh province`) selects the documents of that place,
 * like a document number does.
 */
export function findPlaceRefs(question: string, places: Array<{ docId: string; place: string }>): DocRef[] {
  const words = ` ${foldDiacritics(normalizeForMatch(question)).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const refs: DocRef[] = [];
  for (const { docId, place } of places) {
    const p = foldDiacritics(normalizeForMatch(place));
    // A place narrows the search but does not name the document: it boosts like an implementer.
    if (p.length >= 3 && words.includes(` ${p} `)) refs.push({ raw: place, docIds: [], implementerIds: [docId], candidates: [], ambiguous: false, chosen: null });
  }
  return refs;
}

export function analyzeQuery(
  question: string,
  ctx: {
    metas: DocMeta[];
    allNumbers: string[];
    implementersOf: (num: string) => string[];
    detectLanguage: (q: string) => 'vi' | 'en';
    places?: Array<{ docId: string; place: string }>;
  },
): QueryAnalysis {
  return {
    question,
    language: ctx.detectLanguage(question),
    diacritics: !hasNoDiacritics(question),
    docRefs: [...findDocRefs(question, ctx.metas, ctx.allNumbers, ctx.implementersOf), ...findPlaceRefs(question, ctx.places ?? [])],
    sectionRefs: findSectionRefs(question),
    intent: detectIntent(question),
  };
}
