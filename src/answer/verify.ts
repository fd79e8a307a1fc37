// Citation checking shared by both answerers: find a quote in its source under normalisation and return the original text.
import { normalizeWithMap, tokenize } from '../text/normalize.ts';
import { STOP_EXACT } from '../text/stopwords.ts';
import { splitSentences } from '../text/sentences.ts';
import type { Citation } from '../doc/types.ts';

/** A separator between numbers of a citation group, e.g. the `,` of `[1, 3]`. */
const GROUP_SEPARATOR_RE = /[,;]/;
/** Two or more spaces or tabs after a character, e.g. `a   b`. */
const INNER_SPACE_RUN_RE = /(\S)[ \t]{2,}/g;
/** Spaces or tabs that end a line, e.g. the `  ` of `… năm 2025.  \n`. */
const TRAILING_LINE_SPACE_RE = /[ \t]+$/gm;

/** A numbered source a citation can point to (the answerer's view of a retrieved section or chunk). */
export interface CitableSource {
  n: number;
  docId: string;
  docNumber: string | null;
  docTitle: string;
  section: string;
  file: string;
  /** Citation label in the answer's language; `docNumber §section` when the caller gives none. */
  label?: string;
  /** Verbatim original text of the section or chunk. */
  text: string;
}

/** What an answerer claims: source `n` supports the answer, with candidate verbatim quotes (best first). */
export interface ProposedCitation {
  n: number;
  quotes: string[];
}

/** A citation that was removed, and why (for logs and the `flagged` decision). */
export interface DroppedCitation {
  n: number;
  reason: string;
}

export interface VerifiedAnswer {
  /** The answer with markers of dropped citations removed and the rest renumbered 1..k. */
  answer: string;
  citations: Citation[];
  /** True when a citation was removed because the sources do not support it. */
  flagged: boolean;
  dropped: DroppedCitation[];
}

/** Fewest content tokens a source sentence must share with a claim to be offered as its quote. */
export const MIN_SHARED_TOKENS = 3;

// Characters a model or a user wraps around or trails after a quote; never significant for matching.
const EDGE_NOISE = /^[\s"'.,;:…]+|[\s"'.,;:…]+$/g;

/**
 * Locates a quote in a source under matching normalisation.
 * @returns the [start, end) range in the ORIGINAL source text, or null when absent.
 */
export function locateQuote(quote: string, sourceText: string): { start: number; end: number } | null {
  const needle = normalizeWithMap(quote, { quotes: true }).norm.replace(EDGE_NOISE, '');
  if (needle.length === 0) return null;
  const hay = normalizeWithMap(sourceText, { quotes: true });
  const at = hay.norm.indexOf(needle);
  if (at < 0) return null;
  return { start: hay.starts[at]!, end: hay.ends[at + needle.length - 1]! };
}

/**
 * Checks that a quote occurs in a source text, tolerating case, tone-mark placement, dash,
 * typographic-quote, whitespace and NFC/NFD differences (not paraphrase or ellipses).
 * @returns the verbatim original substring of `sourceText` that matches, or null.
 * @example verifyQuote('Bộ Lao động – Thương binh', 'gửi Bộ Lao động - Thương binh và Xã hội') === 'Bộ Lao động - Thương binh'
 */
export function verifyQuote(quote: string, sourceText: string): string | null {
  const r = locateQuote(quote, sourceText);
  return r ? sourceText.slice(r.start, r.end) : null;
}

/** Sentence-like spans of a text: split at line breaks and after `.`/`;`/`?`/`!` before a space. */
function contentTokens(s: string): Set<string> {
  return new Set(tokenize(s).filter((t) => !STOP_EXACT.has(t)));
}

/**
 * The source sentence sharing the most content words with a claim — used as the quote when an
 * answerer cites a source without quoting it. Ties go to the denser (shorter) sentence.
 * @returns a verbatim substring of `sourceText`, or null when no sentence shares MIN_SHARED_TOKENS words.
 */
export function bestMatchingSentence(claim: string, sourceText: string): string | null {
  const want = contentTokens(claim);
  if (want.size === 0) return null;
  let best: { start: number; end: number; shared: number; density: number } | null = null;
  for (const span of splitSentences(sourceText, 0, sourceText.length)) {
    const have = contentTokens(sourceText.slice(span.start, span.end));
    let shared = 0;
    for (const t of have) if (want.has(t)) shared++;
    const density = have.size ? shared / have.size : 0;
    if (!best || shared > best.shared || (shared === best.shared && density > best.density)) {
      best = { ...span, shared, density };
    }
  }
  if (!best || best.shared < MIN_SHARED_TOKENS) return null;
  return sourceText.slice(best.start, best.end);
}

/** A marker group: `[1]`, `[1, 2]`, `[1; 3]`, with the horizontal space before it (removed along with it). */
const MARKER_GROUP = /([ \t]*)\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]/g;

function groupNumbers(inner: string): number[] {
  return inner.split(GROUP_SEPARATOR_RE).map((x) => Number(x.trim()));
}

/**
 * The citation numbers an answer uses, in order of first appearance.
 * @example citedNumbers('A [2]. B [1, 2].') // [2, 1]
 */
export function citedNumbers(answer: string): number[] {
  const seen: number[] = [];
  for (const m of answer.matchAll(MARKER_GROUP)) {
    for (const n of groupNumbers(m[2]!)) if (!seen.includes(n)) seen.push(n);
  }
  return seen;
}

/** Rewrites every marker group through `map`; numbers mapped to null disappear, empty groups vanish. */
function rewriteMarkers(answer: string, map: Map<number, number | null>): string {
  const out = answer.replace(MARKER_GROUP, (_all, space: string, inner: string) => {
    const kept: number[] = [];
    for (const n of groupNumbers(inner)) {
      const to = map.get(n);
      if (to != null && !kept.includes(to)) kept.push(to);
    }
    return kept.length ? space + kept.map((k) => `[${k}]`).join(' ') : '';
  });
  return out.replace(INNER_SPACE_RUN_RE, '$1 ').replace(TRAILING_LINE_SPACE_RE, '');
}

/**
 * Checks an answer's citations against the sources it was given. A citation to a number not among
 * the sources, or with no quote found in the cited source, is dropped and the answer flagged;
 * quotes become the verbatim source text; markers of dropped citations are removed and the rest
 * renumbered 1..k in order of first appearance. Proposed citations never marked in the answer are
 * dropped without flagging (they support no claim).
 * @returns null when no valid citation remains (the caller falls back to another answerer).
 * @example verifyCitations('X leads [1].', [{ n: 1, quotes: ['X chủ trì'] }], sources)
 */
export function verifyCitations(answer: string, proposed: ProposedCitation[], sources: CitableSource[]): VerifiedAnswer | null {
  const quotesFor = new Map<number, string[]>();
  for (const p of proposed) quotesFor.set(p.n, [...(quotesFor.get(p.n) ?? []), ...p.quotes]);
  const order = citedNumbers(answer);
  const dropped: DroppedCitation[] = [];
  const citations: Citation[] = [];
  const renumber = new Map<number, number | null>();
  let flagged = false;
  for (const n of order) {
    const source = sources.find((s) => s.n === n);
    if (!source) {
      dropped.push({ n, reason: `source [${n}] was not given` });
      flagged = true;
      renumber.set(n, null);
      continue;
    }
    const candidates = quotesFor.get(n) ?? [];
    let quote: string | null = null;
    for (const q of candidates) {
      quote = verifyQuote(q, source.text);
      if (quote) break;
    }
    if (!quote) {
      dropped.push({ n, reason: candidates.length ? `quote not found in source [${n}]` : `no quote for source [${n}]` });
      flagged = true;
      renumber.set(n, null);
      continue;
    }
    const k = citations.length + 1;
    renumber.set(n, k);
    citations.push({ n: k, docId: source.docId, docNumber: source.docNumber, docTitle: source.docTitle, section: source.section, label: source.label ?? `${source.docNumber ?? source.docTitle} §${source.section}`, quote, file: source.file });
  }
  for (const p of proposed) {
    if (!order.includes(p.n) && !dropped.some((d) => d.n === p.n)) dropped.push({ n: p.n, reason: `source [${p.n}] quoted but not cited in the answer` });
  }
  if (citations.length === 0) return null;
  return { answer: rewriteMarkers(answer, renumber).trim(), citations, flagged, dropped };
}
