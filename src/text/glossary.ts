// Bilingual domain glossary: English question terms → Vietnamese corpus phrases, language detection, and back-naming.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { dataFile, loadWordMap } from './cues.ts';
import { DEFAULT_LEXICON_PATH, loadLexicon } from './lexicon.ts';
import { foldDiacritics, normalizeForMatch, normalizeWithMap } from './normalize.ts';

/** The shipped glossary, resolved from this module so the working directory does not matter. */
export const DEFAULT_GLOSSARY_PATH = fileURLToPath(new URL('../../data/glossary.json', import.meta.url));

/**
 * What an entry names; lets callers pick e.g. only agencies when framing an answer. `term` entries come from the
 * lexicon (data/lexicon.json): they translate question words for retrieval and name nothing in answers.
 */
export const ENTRY_KINDS = ['agency', 'document', 'action', 'policy', 'place', 'time', 'general', 'term'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** One glossary entry as stored in `data/glossary.json`. `en[0]` is the display name. */
export interface GlossaryEntry {
  en: string[];
  vi: string[];
  kind?: EntryKind;
  note?: string;
}

/** A compiled English term: its token sequence (exact and stemmed) and where it came from. */
interface CompiledTerm {
  entry: number;
  /** From a lexicon entry (kind `term`). */
  lexicon: boolean;
  term: string;
  exact: string[];
  stems: string[];
}

/** A loaded, validated glossary with its English terms compiled for matching. */
export interface Glossary {
  readonly source: string;
  readonly entries: readonly GlossaryEntry[];
  /** Compiled terms indexed by their first stem, for the matcher. */
  readonly byFirstStem: ReadonlyMap<string, readonly CompiledTerm[]>;
  /** Folded Vietnamese phrases (≥ 2 syllables), longest first, for `viPhrasesToEnglish`. */
  readonly viPhrases: ReadonlyArray<{ folded: string; entry: number }>;
  /** English words too broad to be translated alone (lower case): matched as a one-word term, they expand to their entry's first {@link BROAD_WORD_PHRASES} phrases only. */
  readonly broad: ReadonlySet<string>;
}

const entrySchema = z
  .object({
    en: z.array(z.string().trim().min(1, 'empty English term')).min(1, 'needs at least one English term'),
    vi: z.array(z.string().trim().min(1, 'empty Vietnamese phrase')).min(1, 'needs at least one Vietnamese phrase'),
    kind: z.enum(ENTRY_KINDS).optional(),
    note: z.string().optional(),
  })
  .strict();
const fileSchema = z.array(z.unknown());

/**
 * Loads and validates a glossary file and, after its entries, the lexicon's (`lexicon`: its path, or null for the
 * glossary alone); a bad file fails with a message naming the entry. English terms must be unique across all
 * entries (after normalisation) so a match is never ambiguous.
 * @example const g = loadGlossary(); expandQuery(g, 'Who leads social insurance?').vi
 */
export function loadGlossary(path: string = DEFAULT_GLOSSARY_PATH, lexicon: string | null = DEFAULT_LEXICON_PATH): Glossary {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new AppError('config', `glossary ${path}: cannot read or parse JSON: ${(e as Error).message}`, { cause: e });
  }
  const list = fileSchema.safeParse(raw);
  if (!list.success) throw new AppError('config', `glossary ${path}: the file must hold a JSON array of entries`);
  const entries: GlossaryEntry[] = [];
  list.data.forEach((item, i) => {
    const r = entrySchema.safeParse(item);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new AppError('config', `glossary ${path}: entry ${i} (${describe(item)}): ${issue.path.join('.') || 'entry'}: ${issue.message}`);
    }
    entries.push(r.data);
  });
  if (lexicon === null) return compileGlossary(entries, path);
  const lex = loadLexicon(lexicon);
  return compileGlossary([...entries, ...lex.entries], `${path} + ${lexicon}`, lex.broad);
}

/** One plain Latin word, e.g. `health`. */
const LATIN_WORD_RE = /^[a-z]+$/;

/** Builds the matcher structures from validated entries (also used by tests with inline entries); `broad` as in {@link Glossary}. */
export function compileGlossary(entries: GlossaryEntry[], source = '<inline>', broad: ReadonlySet<string> = new Set()): Glossary {
  const byFirstStem = new Map<string, CompiledTerm[]>();
  const owner = new Map<string, number>();
  const viPhrases: Array<{ folded: string; entry: number }> = [];
  entries.forEach((e, i) => {
    for (const term of e.en) {
      const exact = enTokens(term);
      if (exact.length === 0) throw new AppError('config', `glossary ${source}: entry ${i} (${describe(e)}): English term "${term}" has no words`);
      const variants = [exact];
      // "health care" also matches "healthcare", "Ha Noi" also "Hanoi".
      if (exact.length > 1 && exact.every((t) => LATIN_WORD_RE.test(t))) variants.push([exact.join('')]);
      for (const v of variants) {
        const stems = v.map(stem);
        // Unique by spelling, not by stem: "planning" (quy hoạch) and "plan" (kế hoạch) may coexist.
        const key = v.join(' ');
        const prev = owner.get(key);
        if (prev !== undefined && prev !== i) {
          throw new AppError('config', `glossary ${source}: entry ${i} (${describe(e)}): English term "${term}" is also in entry ${prev} (${describe(entries[prev])})`);
        }
        if (prev === i) continue;
        owner.set(key, i);
        const list = byFirstStem.get(stems[0]!) ?? [];
        list.push({ entry: i, lexicon: e.kind === 'term', term, exact: v, stems });
        byFirstStem.set(stems[0]!, list);
      }
    }
    for (const p of e.vi) {
      const folded = foldVi(p);
      if (folded.split(' ').length >= 2) viPhrases.push({ folded, entry: i });
    }
  });
  viPhrases.sort((a, b) => b.folded.length - a.folded.length);
  return { source, entries, byFirstStem, viPhrases, broad };
}

/** Most phrases a broad English word matched alone expands to ("rights" → quyền, quyền lợi; not every reading). */
export const BROAD_WORD_PHRASES = 2;

/**
 * Finds the glossary's English terms in a question and returns the Vietnamese phrases to add to
 * the lexical and dense query. Case-insensitive, on word boundaries, tolerant of plural and verb
 * forms (reports/reported/reporting), hyphen/space variants and British/American spelling; where
 * terms overlap the longest wins ("social insurance", not "insurance"). Questions detected as
 * Vietnamese only get acronym matches (MOLISA, DOLISA): their own words already are corpus words.
 * `terms: false` leaves out the lexicon's entries (kind `term`): what the question names (documents, places,
 * policy topics, issuers) is read from the glossary alone, so a longer lexicon phrase cannot hide one of them
 * ("participate in social insurance" still names the topic "social insurance").
 * @example expandQuery(g, 'Who reports on social insurance?').vi // ['báo cáo', 'bảo hiểm xã hội', 'BHXH']
 */
export function expandQuery(g: Glossary, question: string, opts: { terms?: boolean } = {}): Expansion {
  const terms = opts.terms ?? true;
  const acronymsOnly = detectLanguage(question) === 'vi';
  const words = enTokens(question);
  const stems = words.map(stem);
  interface Hit { start: number; len: number; exactCount: number; baseCount: number; t: CompiledTerm }
  const hits: Hit[] = [];
  for (let i = 0; i < stems.length; i++) {
    for (const t of g.byFirstStem.get(stems[i]!) ?? []) {
      if (acronymsOnly && !isAcronymTerm(t.term)) continue;
      if (!terms && t.lexicon) continue;
      const n = t.stems.length;
      if (i + n > stems.length) continue;
      let ok = true;
      let exactCount = 0;
      for (let k = 0; k < n; k++) {
        if (stems[i + k] !== t.stems[k]) { ok = false; break; }
        if (words[i + k] === t.exact[k]) exactCount++;
      }
      if (ok) hits.push({ start: i, len: n, exactCount, baseCount: t.exact.filter((w, k) => w === t.stems[k]).length, t });
    }
  }
  // Longest first; between equally long terms the one spelled as asked ("planning" → quy hoạch),
  // then the one written in base form, since an inflected question word is an inflection of the
  // base ("planned" → "plan" → kế hoạch, not "planning").
  hits.sort((a, b) => b.len - a.len || b.exactCount - a.exactCount || b.baseCount - a.baseCount || a.start - b.start);
  const taken = new Array<boolean>(stems.length).fill(false);
  const accepted: Hit[] = [];
  for (const h of hits) {
    let free = true;
    for (let k = h.start; k < h.start + h.len; k++) if (taken[k]) { free = false; break; }
    if (!free) continue;
    for (let k = h.start; k < h.start + h.len; k++) taken[k] = true;
    accepted.push(h);
  }
  accepted.sort((a, b) => a.start - b.start);
  const vi: string[] = [];
  const weighted: Array<{ vi: string; weight: number }> = [];
  const seen = new Set<string>();
  const matched: Expansion['matched'] = [];
  const seenEntries = new Set<number>();
  for (const h of accepted) {
    if (seenEntries.has(h.t.entry)) continue;
    seenEntries.add(h.t.entry);
    const entry = g.entries[h.t.entry]!;
    // "right", "law", "plan" alone: the entry's first phrases only, not every reading of it.
    const alone = h.len === 1 && g.broad.has(h.t.exact[0]!);
    const phrases: string[] = [];
    for (const p of alone ? entry.vi.slice(0, BROAD_WORD_PHRASES) : entry.vi) {
      // hóa/hoá and dash variants are one phrase for retrieval: keep the first spelling only.
      const key = normalizeForMatch(p);
      if (seen.has(key)) continue;
      seen.add(key);
      phrases.push(p);
      vi.push(p);
    }
    // The phrases of one entry translate one English term: they share its weight (as 1/√k, so that k
    // phrases together weigh √k, less than k phrases of k terms, more than one phrase of one term).
    for (const p of phrases) weighted.push({ vi: p, weight: 1 / Math.sqrt(phrases.length) });
    matched.push({ en: h.t.term, vi: phrases, asWritten: h.t.exact.every((w, k) => sameWordOrPlural(words[h.start + k]!, w)), asked: words.slice(h.start, h.start + h.len).join(' ') });
  }
  return { vi, weighted, matched };
}

/** What {@link expandQuery} finds in a question. */
export interface Expansion {
  /** Vietnamese phrases, in question order, once each. */
  vi: string[];
  /** The same phrases, each with its share (0–1] of the weight of the English term it translates (1 / √(phrases of that term)). */
  weighted: Array<{ vi: string; weight: number }>;
  /**
   * Each English term found with the phrases it added, whether the question wrote it as the term does (or its
   * plural), and the question's words it matched (`programmes and schemes` for the term `programs and schemes`).
   */
  matched: Array<{ en: string; vi: string[]; asWritten: boolean; asked: string }>;
}

/**
 * Whether a question word is the glossary word itself or the same noun in the other number (`school` /
 * `schools`, `agency` / `agencies`): not a derivative that only shares its stem (`age` / `ageing`, `plan` /
 * `planning`), which is a weaker sign of the topic.
 * @example sameWordOrPlural('checks', 'check') // true
 * @example sameWordOrPlural('age', 'ageing') // false
 */
function sameWordOrPlural(asked: string, term: string): boolean {
  if (asked === term) return true;
  const [short, long] = asked.length < term.length ? [asked, term] : [term, asked];
  const plural = long.slice(short.length);
  return long.startsWith(short) ? plural === 's' || plural === 'es' : IES_END_RE.test(long) && `${long.slice(0, -3)}y` === short;
}

/**
 * English names for the Vietnamese glossary phrases (two syllables or more) found in a Vietnamese
 * text, in order of first occurrence, one per entry; `vi` is the text as written. Matching ignores
 * diacritics, tone placement, case and dash style; the longest phrase wins where phrases overlap.
 * @example viPhrasesToEnglish(g, 'Bộ Thông tin và Truyền thông chỉ đạo')[0] // { vi: 'Bộ Thông tin và Truyền thông', en: 'Ministry of Information and Communications', kind: 'agency' }
 */
export function viPhrasesToEnglish(
  g: Glossary,
  viText: string,
  opts: { kinds?: readonly EntryKind[] } = {},
): Array<{ vi: string; en: string; kind?: EntryKind }> {
  const { folded, starts, ends } = foldWithMap(viText);
  const taken = new Array<boolean>(folded.length).fill(false);
  const found: Array<{ at: number; vi: string; entry: number }> = [];
  for (const p of g.viPhrases) {
    const kind = g.entries[p.entry]!.kind;
    if (opts.kinds && (!kind || !opts.kinds.includes(kind))) continue;
    let from = 0;
    for (;;) {
      const at = folded.indexOf(p.folded, from);
      if (at < 0) break;
      from = at + 1;
      const end = at + p.folded.length;
      if (isWordChar(folded[at - 1]) || isWordChar(folded[end])) continue;
      let free = true;
      for (let k = at; k < end; k++) if (taken[k]) { free = false; break; }
      if (!free) continue;
      for (let k = at; k < end; k++) taken[k] = true;
      found.push({ at, vi: viText.slice(starts[at]!, ends[end - 1]!).normalize('NFC'), entry: p.entry });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const out: Array<{ vi: string; en: string; kind?: EntryKind }> = [];
  const seen = new Set<number>();
  for (const f of found) {
    if (seen.has(f.entry)) continue;
    seen.add(f.entry);
    const e = g.entries[f.entry]!;
    out.push(e.kind ? { vi: f.vi, en: e.en[0]!, kind: e.kind } : { vi: f.vi, en: e.en[0]! });
  }
  return out;
}

/**
 * Every English term paired with every Vietnamese phrase of its entry (exact duplicates removed).
 * The static embedder trains on these so that English words land near their Vietnamese phrases.
 * @example glossaryAliases(g).find((a) => a.term === 'Politburo')?.target // 'Bộ Chính trị'
 */
export function glossaryAliases(g: Glossary): Array<{ term: string; target: string }> {
  const out: Array<{ term: string; target: string }> = [];
  const seen = new Set<string>();
  for (const e of g.entries) {
    for (const term of e.en) {
      for (const target of e.vi) {
        const key = `${term}\u0000${target}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ term, target });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Language detection

/** Weight of an English function word: it frames a sentence, a Vietnamese name inside does not. */
const EN_FUNCTION_WEIGHT = 2;
/** Weight of any other word that cannot be a Vietnamese syllable (social, insurance, plan). */
const EN_CONTENT_WEIGHT = 1;
/** Weight of a word with Vietnamese diacritics or a listed frequent toneless syllable. */
const VI_WEIGHT = 1;
/** Weight of a capitalised Vietnamese word inside a sentence: likely part of a name ("Bộ Chính trị") quoted in English. */
const VI_NAME_WEIGHT = 0.5;
/** Weight of a word shaped like a Vietnamese syllable but not in the frequent list. */
const VI_SHAPE_WEIGHT = 0.5;

/** English function and question words (lower case). */
const EN_FUNCTION = new Set(
  ('the a an of and or to in on for by with from at as into onto about under over between through within without ' +
    'what which who whom whose when where why how whether does do did is are was were be been being has have had ' +
    'must should shall will would can could may might it its this that these those there their they them he she his her ' +
    'not no any all each every both either other than then also only such per by until till after before during ' +
    'say says said according if so much many more most some same own whom while whereas').split(' '),
);

/** Frequent Vietnamese syllables as typed without diacritics (the folded forms). */
const VI_TONELESS = new Set(
  ('cua nao la bao nhieu theo ke hoach nghi quyet don vi thuc hien chuong trinh hanh dong chinh phu bo so ngay thang nam ' +
    'co quan chu tri phoi hop cao giao duc nghe nghiep lao thuong binh xa hoi tinh huyen uy ban vu tu ai gi khi the nhu ' +
    'duoc cac nhung cho voi trong tai den phai se da dang muc tieu ty le giam ngheo viec lam hiem y te tre em nguoi dan ' +
    'toc van hoa thong tin truyen nha o nuoc sach moi truong ve sinh phat trien kinh quoc gia dia phuong trung uong tong ' +
    'ket danh sat kiem tra doc han thoi gian truoc sau khong hay gom sao dau viet huong dan bao dam an ' +
    'toan dich cong nhan su nghiep dao tao chat luong nang cap mot hai ba bon tam muoi lan thu nhat quy ky thay mat ' +
    'dong chi bi thu truong pho tuong ho tro giup tro cap can ngheo khuyet tat cao tuoi benh vien giuong si bac ' +
    'lien quan nhiem vu giai phap dieu phu luc muc dich yeu cau trien khai ket qua tien do hoan thanh chi tieu ' +
    'tham muu dinh ky thuong xuyen hang hang nam doi voi boi vi nay do kia day nhu vay roi chua moi to on he may no').split(' '),
);

/** A digit, e.g. the `2` of `2030`. */
const DIGIT_RE = /\d/;

/**
 * One word's vote. Words in both lists ("an", "do", "to", "the", "can") are neutral, and so are
 * numbers and acronyms/document symbols (QĐ, LĐTBXH, NQ, MOLISA).
 */
function languageVote(raw: string, first: boolean, allCaps: boolean): { vi: number; en: number } {
  if (DIGIT_RE.test(raw)) return { vi: 0, en: 0 };
  const upper = raw !== raw.toLowerCase();
  if (!allCaps && raw.length >= 2 && raw === raw.toUpperCase() && upper) return { vi: 0, en: 0 };
  const tok = raw.toLowerCase();
  const vi = !allCaps && !first && upper ? VI_NAME_WEIGHT : VI_WEIGHT;
  if (foldDiacritics(tok) !== tok) return { vi, en: 0 };
  const isEnFn = EN_FUNCTION.has(tok);
  const isVi = VI_TONELESS.has(tok);
  if (isEnFn && isVi) return { vi: 0, en: 0 };
  if (isEnFn) return { vi: 0, en: EN_FUNCTION_WEIGHT };
  if (isVi) return { vi, en: 0 };
  if (VI_SYLLABLE.test(tok)) return { vi: vi * VI_SHAPE_WEIGHT, en: 0 };
  return { vi: 0, en: EN_CONTENT_WEIGHT };
}

/** Shape of a Vietnamese syllable without diacritics: onset, 1–3 vowels, allowed coda. */
const VI_SYLLABLE = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|nh|ng|[cmnpt])?$/;

/** A lower-case letter, e.g. the `h` of `Which`. */
const LOWER_LETTER_RE = /\p{Ll}/u;
/** A word of seven letters or more, e.g. `PROGRAMME`. */
const LONG_WORD_RE = /\p{L}{7,}/u;
/** A word with its apostrophe parts, e.g. `Ministry's`. */
const QUESTION_WORD_RE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
/** A possessive ending, e.g. the `'s` of `Ministry's`. */
const POSSESSIVE_END_RE = /['’]s$/i;
/** An apostrophe, straight or curly, e.g. the `’` of `people’s`. */
const APOSTROPHE_RE = /['’]/g;

/**
 * Language of a question: 'vi' for Vietnamese with or without diacritics, 'en' otherwise.
 * Votes per word: diacritics and frequent toneless syllables ("cua", "nao", "nhieu") for Vietnamese;
 * English function words (double weight) and words no Vietnamese syllable can spell for English.
 * Numbers, document symbols and acronyms are neutral; a tie goes to Vietnamese, the corpus language.
 * @example detectLanguage('ke hoach 1240 do don vi nao chu tri') === 'vi'
 * @example detectLanguage('Which unit leads the Bac Ninh plan?') === 'en'
 */
export function detectLanguage(question: string): 'vi' | 'en' {
  const text = question.normalize('NFC');
  // A question typed in capitals is not a row of acronyms (acronyms and symbols are short words).
  const allCaps = !LOWER_LETTER_RE.test(text) && LONG_WORD_RE.test(text);
  let vi = 0;
  let en = 0;
  let first = true;
  for (const m of text.matchAll(QUESTION_WORD_RE)) {
    const raw = m[0].replace(POSSESSIVE_END_RE, '').replace(APOSTROPHE_RE, '');
    const v = languageVote(raw, first, allCaps);
    first = false;
    vi += v.vi;
    en += v.en;
  }
  return en > vi ? 'en' : 'vi';
}

// ---------------------------------------------------------------------------------------------
// English tokens

/** British → American spellings (data/spelling.json), so one glossary spelling matches both. */
const SPELLING = loadWordMap(dataFile('spelling.json'));

/** A possessive inside a text, e.g. the `'s` of `the Ministry's plan`. */
const POSSESSIVE_RE = /['’]s\b/g;
/** An ampersand, e.g. the `&` of `Labour & Social Affairs`. */
const AMPERSAND_RE = /&/g;
/** A run of characters that are not Latin letters or digits, e.g. ` - ` or `/`. */
const NON_LATIN_RUN_RE = /[^a-z0-9]+/;

/** Lower-cased English word tokens: possessives dropped, hyphens/slashes split, spelling unified. */
export function enTokens(text: string): string[] {
  const s = foldDiacritics(text.normalize('NFC').toLowerCase())
    .replace(POSSESSIVE_RE, '')
    .replace(APOSTROPHE_RE, '')
    .replace(AMPERSAND_RE, ' and ');
  return s
    .split(NON_LATIN_RUN_RE)
    .filter((t) => t.length > 0)
    .map((t) => SPELLING.get(t) ?? t);
}

/** A plural in -ies after a consonant, e.g. `agencies`. */
const IES_END_RE = /[^aeiou]ies$/;
/** A past in -ied after a consonant, e.g. `applied`. */
const IED_END_RE = /[^aeiou]ied$/;
/** A plural in -es after a sibilant, e.g. `approaches`. */
const ES_PLURAL_END_RE = /(ch|sh|x|zz)es$/;
/** A final s that is no plural, e.g. `status` or `basis`. */
const NOT_PLURAL_S_END_RE = /(ss|us|is)$/;

/** Light suffix stripping for plural and verb forms; both sides go through it, so it only needs to be consistent. */
function stem(w: string): string {
  if (w.length <= 3 || DIGIT_RE.test(w)) return w;
  let s = w;
  if (IES_END_RE.test(s) || IED_END_RE.test(s)) return `${s.slice(0, -3)}y`;
  if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.endsWith('ing') && s.length >= 6) s = undouble(s.slice(0, -3));
  else if (s.endsWith('ed') && s.length >= 5) s = undouble(s.slice(0, -2));
  else if (ES_PLURAL_END_RE.test(s)) s = s.slice(0, -2);
  else if (s.endsWith('s') && !NOT_PLURAL_S_END_RE.test(s)) s = s.slice(0, -1);
  if (s.endsWith('e') && s.length > 4) s = s.slice(0, -1);
  return s;
}

/** A doubled final consonant, e.g. the `nn` of `plann` (from planning). */
const DOUBLED_CONSONANT_END_RE = /([b-df-hj-kmnp-rtv-y])\1$/;

function undouble(s: string): string {
  return DOUBLED_CONSONANT_END_RE.test(s) ? s.slice(0, -1) : s;
}

/** An all-capitals acronym of four letters or more, e.g. `MOLISA`. */
const ACRONYM_RE = /^[A-Z]{4,}$/;

/** An all-capitals glossary term of four letters or more (MOLISA, DOLISA, GDVET). */
function isAcronymTerm(term: string): boolean {
  return ACRONYM_RE.test(term);
}

// ---------------------------------------------------------------------------------------------
// Vietnamese folding

/** Folded matching form of a Vietnamese phrase: the matching form of {@link normalizeWithMap}, no diacritics. */
function foldVi(s: string): string {
  return foldWithMap(s).folded;
}

/**
 * Folds a text for matching and keeps, for each folded character, the original [start, end) it came from.
 * Folding a precomposed (NFC) Vietnamese letter keeps its length, so the offset map of
 * {@link normalizeWithMap} stays valid character for character.
 */
function foldWithMap(text: string): { folded: string; starts: number[]; ends: number[] } {
  const { norm, starts, ends } = normalizeWithMap(text);
  let folded = '';
  for (const ch of norm) {
    const f = foldDiacritics(ch);
    folded += f.length === ch.length ? f : ch;
  }
  return { folded, starts, ends };
}

/** A letter or digit, e.g. the `B` of `Bộ`. */
const WORD_CHAR_RE = /[\p{L}0-9]/u;

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && WORD_CHAR_RE.test(c);
}

function describe(item: unknown): string {
  if (item && typeof item === 'object' && 'en' in item && Array.isArray((item as { en: unknown }).en)) {
    const first = (item as { en: unknown[] }).en[0];
    if (typeof first === 'string') return `"${first}"`;
  }
  return JSON.stringify(item)?.slice(0, 60) ?? String(item);
}
