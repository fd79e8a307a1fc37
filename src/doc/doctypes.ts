// Document types and issuer levels as data (data/doc-types.json, data/issuer-levels.json): loaders and lookups.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dataFile, loadWordMap } from '../text/cues.ts';
import { foldDiacritics, normalizeForMatch } from '../text/normalize.ts';

export const DEFAULT_DOC_TYPES_FILE = fileURLToPath(new URL('../../data/doc-types.json', import.meta.url));
export const DEFAULT_ISSUER_LEVELS_FILE = fileURLToPath(new URL('../../data/issuer-levels.json', import.meta.url));

export interface DocType {
  /** As written in running text: `Bộ luật`, `Nghị quyết`. */
  vi: string;
  /** English type name for citation labels: `Code`, `Resolution`. */
  en: string;
  /** Type abbreviations inside document numbers (`NQ` in `68/NQ-CP`). */
  symbols: string[];
  /** The body that issues every document of the type, when the type fixes it. */
  issuedBy?: string;
  /** A legal normative document (structured Phần/Chương/Điều; citations read `Điều 35 Bộ luật …`). */
  legal?: boolean;
  /** English name puts the subject first: `Labour Code`, not `Code on Labour`. */
  nameFirst?: boolean;
}

export type IssuerLevel = 'central' | 'ministry' | 'province' | 'district';

interface DocTypesFile {
  types: DocType[];
  officialLetterMarker: string;
  abbreviations: Record<string, string[] | string>;
}

let typesCache: DocTypesFile | null = null;

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`doc: cannot read ${what} ${file}`, { cause });
  }
}

/**
 * Document types, longest Vietnamese name first (so `Kế hoạch hành động` wins over `Kế hoạch`).
 * @example docTypes().find((t) => t.vi === 'Bộ luật')?.en === 'Code'
 */
export function docTypes(file: string = DEFAULT_DOC_TYPES_FILE): DocType[] {
  if (!typesCache) {
    const raw = readJson(file, 'document types') as Partial<DocTypesFile>;
    if (!Array.isArray(raw.types)) throw new Error(`doc: ${file} has no "types" array`);
    raw.types.forEach((t, i) => {
      if (typeof t.vi !== 'string' || typeof t.en !== 'string' || !Array.isArray(t.symbols)) throw new Error(`doc: ${file} type ${i} needs vi, en and symbols`);
    });
    typesCache = {
      types: [...raw.types].sort((a, b) => b.vi.length - a.vi.length),
      officialLetterMarker: raw.officialLetterMarker ?? 'V/v',
      abbreviations: raw.abbreviations ?? {},
    };
  }
  return typesCache.types;
}

/** The marker line of an official letter's subject (`V/v …`). */
export function officialLetterMarker(): string {
  docTypes();
  return typesCache!.officialLetterMarker;
}

/** Short forms of a type name used in questions (`BL` for `Bộ luật`). */
export function typeAbbreviations(typeVi: string): string[] {
  docTypes();
  const v = typesCache!.abbreviations[typeVi];
  return Array.isArray(v) ? v : [];
}

/**
 * The type a name denotes (case-insensitive, exact).
 * @example docType('NGHỊ QUYẾT')?.vi === 'Nghị quyết'
 */
export function docType(name: string | null | undefined): DocType | null {
  if (!name) return null;
  const k = normalizeForMatch(name);
  return docTypes().find((t) => normalizeForMatch(t.vi) === k) ?? null;
}

/** British → American spellings (data/spelling.json), so `Programme` and `program` name one type. */
const SPELLING = loadWordMap(dataFile('spelling.json'));
/** A word's letters, e.g. `programme` in `programme's`. */
const LETTER_RUN_RE = /\p{L}+/gu;

/**
 * Text as type words are compared: normalised, folded, British spellings made American.
 * @example typeWordKey('Chương trình hành động') === 'chuong trinh hanh dong'; typeWordKey('Action Programme') === 'action program'
 */
export function typeWordKey(text: string): string {
  return foldDiacritics(normalizeForMatch(text)).replace(LETTER_RUN_RE, (w) => SPELLING.get(w) ?? w);
}

let hintWordsCache: ReadonlyMap<string, readonly string[]> | null = null;

/**
 * Words that name a document type before its number (`nghị quyết 42`, `NQ 42`, `Resolution 42`, `Action Programme 5`),
 * by {@link typeWordKey}, with the number symbols of every type the word names: each type's Vietnamese and English
 * names, its symbols and its short forms (data/doc-types.json). Types whose numbers carry no symbol (laws) give none.
 * @example typeHintWords().get('nghi quyet') // ['NQ']; typeHintWords().get('regulation') // ['QC', 'QyĐ', 'QĐi']
 */
export function typeHintWords(): ReadonlyMap<string, readonly string[]> {
  if (!hintWordsCache) {
    const hints = new Map<string, string[]>();
    for (const t of docTypes()) {
      if (!t.symbols.length) continue;
      for (const w of [t.vi, t.en, ...t.symbols, ...typeAbbreviations(t.vi)]) {
        const k = typeWordKey(w);
        const symbols = hints.get(k) ?? hints.set(k, []).get(k)!;
        for (const s of t.symbols) if (!symbols.includes(s)) symbols.push(s);
      }
    }
    hintWordsCache = hints;
  }
  return hintWordsCache;
}

/** A letter or digit, e.g. the `C` after `KẾ HOẠCH` in `KẾ HOẠCHC` (then no type starts there). */
const WORD_CHAR_RE = /[\p{L}\p{N}]/u;

/** The type a line starts with, in capitals (`BỘ LUẬT`, `KẾ HOẠCH HÀNH ĐỘNG CỦA …`), with the rest of the line. */
export function typeAtLineStart(line: string): { type: DocType; rest: string } | null {
  for (const t of docTypes()) {
    const upper = t.vi.toUpperCase();
    if (line.startsWith(upper) && (line.length === upper.length || !WORD_CHAR_RE.test(line[upper.length]!))) {
      return { type: t, rest: line.slice(upper.length).trim() };
    }
  }
  return null;
}

interface LevelsFile {
  levels: Array<{ level: IssuerLevel; patterns: string[] }>;
  symbolLevels: Partial<Record<IssuerLevel, string[]>>;
}

let levelsCache: { rules: Array<{ level: IssuerLevel; key: string }>; symbols: Array<{ level: IssuerLevel; symbol: string }> } | null = null;

function levels(file: string = DEFAULT_ISSUER_LEVELS_FILE): NonNullable<typeof levelsCache> {
  if (!levelsCache) {
    const raw = readJson(file, 'issuer levels') as Partial<LevelsFile>;
    if (!Array.isArray(raw.levels)) throw new Error(`doc: ${file} has no "levels" array`);
    const rules = raw.levels.flatMap((l) => l.patterns.map((p) => ({ level: l.level, key: foldKey(p) })));
    rules.sort((a, b) => b.key.length - a.key.length);
    const symbols = Object.entries(raw.symbolLevels ?? {}).flatMap(([level, list]) =>
      Array.isArray(list) ? list.map((s) => ({ level: level as IssuerLevel, symbol: s.toUpperCase() })) : []);
    levelsCache = { rules, symbols };
  }
  return levelsCache;
}

/** A run of characters that are neither letters nor digits, e.g. ` - ` in `Lao động - Thương binh`. */
const NON_WORD_RUN_RE = /[^\p{L}\p{N}]+/gu;

function foldKey(s: string): string {
  return ` ${normalizeForMatch(s).replace(NON_WORD_RUN_RE, ' ').trim()} `;
}

/** Where a document number splits into parts, e.g. the `/` and `-` of `1240/QĐ-LĐTBXH`. */
const NUMBER_PART_SEPARATOR_RE = /[-/]/u;
/** Digits that end a symbol, e.g. the `14` of `QH14`. */
const TRAILING_DIGITS_RE = /\d+$/u;

/**
 * Level of the issuing body from its name (longest matching pattern wins), else from the issuer
 * part of its number (`45/2019/QH14` → central).
 * @example issuerLevel('Sở Lao động - Thương binh và Xã hội', null) === 'province'
 */
export function issuerLevel(issuer: string | null, number: string | null): IssuerLevel | null {
  const { rules, symbols } = levels();
  if (issuer) {
    const k = foldKey(issuer);
    for (const r of rules) if (k.includes(r.key)) return r.level;
  }
  if (number) {
    const parts = foldDiacritics(number).toUpperCase().split(NUMBER_PART_SEPARATOR_RE).slice(1);
    for (const p of parts) {
      const bare = p.replace(TRAILING_DIGITS_RE, '');
      const hit = symbols.find((s) => foldDiacritics(s.symbol) === bare);
      if (hit) return hit.level;
    }
  }
  return null;
}
