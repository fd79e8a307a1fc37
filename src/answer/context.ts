// What the answerer is given for one question: the documents, the register, names, and what the question asks.
import type { Obligation } from '../doc/types.ts';
import { numberKey } from '../doc/numbers.ts';
import { normalizeForMatch } from '../text/normalize.ts';
import type { DocumentStore } from '../store/ports.ts';
import type { Naming } from './compose.ts';
import { DEFAULT_REFUSAL_POLICY, type RefusalPolicy } from './refusal.ts';

/** The `Số:` label before a document number, e.g. `Số: ` of `Số: 68/NQ-CP`. */
const NUMBER_LABEL_RE = /^Số:\s*/u;

/** Default answer length (characters) and supporting quotes; configuration overrides them. */
export const DEFAULT_MAX_CHARS = 1200;
export const DEFAULT_MAX_QUOTES = 3;

export interface RegisterView {
  /** English name of a Vietnamese unit name, when the gazetteer knows it. */
  englishName(vi: string): string | null;
  /** Units named in a text (canonical Vietnamese names). */
  unitsIn(text: string): string[];
}

/** How answers are shaped and when they are refused (configuration). */
export interface AnswerSettings {
  maxChars: number;
  maxQuotes: number;
  policy: RefusalPolicy;
}

export const DEFAULT_ANSWER_SETTINGS: AnswerSettings = { maxChars: DEFAULT_MAX_CHARS, maxQuotes: DEFAULT_MAX_QUOTES, policy: DEFAULT_REFUSAL_POLICY };

export interface AnswerContext {
  docs: DocumentStore;
  obligations: Obligation[];
  register: RegisterView;
  naming: Naming;
  /** Inverse document frequency of a folded term (syllable or `a_b` bigram). */
  idf(term: string): number;
  /** Vietnamese phrases the glossary adds for the question (English questions). */
  expansion: string[];
  /** The same phrases weighted by their share of the English term they translate (as retrieval weighs them). */
  weightedExpansion?: Array<{ vi: string; weight: number }>;
  /** English terms of the question the glossary found, each with the phrases it gave. */
  englishTerms?: Array<{ asked: string; vi: string[] }>;
  /** Policy phrases the question names, each with its alternative Vietnamese spellings. */
  focusGroups: string[][];
  /** Number of chunks whose text mentions a phrase (folded matching). */
  phraseDf(phrase: string): number;
  /** Task kinds the question asks about (report, issue-plan, …). */
  askedKinds: string[];
  /** Corpus documents named by the question, then those implementing them, in lineage order. */
  relatedDocs: string[];
  /** Provinces, cities or regions the question names (any spelling). */
  placesAsked: string[];
  /** Places the question names that are provinces or cities (from the gazetteer or written as such). */
  localitiesAsked: string[];
  /** Places the corpus has documents of (from their headers). */
  corpusPlaces: string[];
  /** The province or city a document belongs to, when its header says. */
  placeOf(docId: string): string | null;
  /** Document numbers the question writes in full, and every number the corpus holds or cites. */
  questionNumbers: string[];
  knownNumbers: string[];
  /** Bodies the question names as a document's issuer, and the issuers of the corpus's documents (Vietnamese and English names). */
  issuersAsked: Array<{ surface: string; names: string[] }>;
  corpusIssuers: string[];
  /** Does some document's text mention a document issued by a body of these names (`Chỉ thị của Ban Bí thư`)? */
  mentionsIssuedBy(names: string[]): boolean;
  /** Units the question names (canonical Vietnamese names). */
  unitsAsked: string[];
  /** Link to the plan view of a document filtered to a unit or a due date (relative URL). */
  planLink(docId: string, filter: { unit?: string; dueBefore?: string }): string;
  settings: AnswerSettings;
}


/** Where a register record's evidence starts in its document (searched once per record, then remembered). */
const evidenceOffsets = new WeakMap<Obligation, number>();
export function evidenceOffset(ctx: Pick<AnswerContext, 'docs'>, o: Obligation): number {
  let at = evidenceOffsets.get(o);
  if (at === undefined) {
    at = ctx.docs.get(o.docId)?.text.indexOf(o.evidence) ?? -1;
    evidenceOffsets.set(o, at);
  }
  return at;
}

/** A span of a document holding `needle` (exactly, else the line holding it under normalisation). */
export function locate(ctx: Pick<AnswerContext, 'docs'>, docId: string, needle: string): { docId: string; start: number; end: number } | null {
  const d = ctx.docs.get(docId);
  if (!d || !needle) return null;
  const at = d.text.indexOf(needle);
  if (at >= 0) return { docId, start: at, end: at + needle.length };
  // Number lines are stored without their original spacing: search line by line under normalisation.
  const target = normalizeForMatch(needle);
  let pos = 0;
  for (const line of d.text.split('\n')) {
    if (normalizeForMatch(line).includes(target) || (target.startsWith('số:') && numberKey(line).includes(numberKey(needle.replace(NUMBER_LABEL_RE, ''))))) {
      return { docId, start: pos, end: pos + line.length };
    }
    pos += line.length + 1;
  }
  return null;
}
