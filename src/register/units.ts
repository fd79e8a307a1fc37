// Unit gazetteer: loads data/units.json and finds agency names in text (normalised, longest first) with original offsets.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { foldDiacritics, normalizeWithMap } from '../text/normalize.ts';
import { escapeRegExp } from '../text/strings.ts';

export type UnitLevel =
  | 'party-central' | 'national-assembly' | 'government' | 'ministry'
  | 'ministry-department' | 'province' | 'provincial-department' | 'other';

export interface Unit {
  id: string;
  /** Canonical Vietnamese name. */
  vi: string;
  en: string;
  level: UnitLevel;
  abbreviations: string[];
  variants: string[];
  /** `ministry` for ministries and ministerial-level agencies (their subordinate units are expanded from patterns). */
  kind?: 'ministry';
  /** Id of the unit it belongs to (`molisa` for `Văn phòng Bộ Lao động - Thương binh và Xã hội`). */
  parent?: string;
}

export interface UnitMatch {
  unit: Unit;
  /** Offsets into the original text: [start, end). */
  start: number;
  end: number;
  /** The text as written. */
  surface: string;
}

const LEVELS: ReadonlySet<string> = new Set([
  'party-central', 'national-assembly', 'government', 'ministry',
  'ministry-department', 'province', 'provincial-department', 'other',
]);

/** Default location of the gazetteer, relative to this file (src/register → data/). */
export const DEFAULT_UNITS_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../data/units.json');


/** Matching key of a name (same normalisation as {@link normalizeWithMap}). */
export function unitKey(name: string): string {
  return normalizeWithMap(name).norm;
}

/** Leading words that do not change which unit is meant (`các`, `các đồng chí`). */
const LEADING_ARTICLES_RE = /^(?:các đồng chí|đồng chí|các|giao|đề nghị|yêu cầu)\s+/u;

let cache: {
  file: string;
  units: Unit[];
  aliases: Array<{ key: string; unit: Unit }>;
  byKey: Map<string, Unit>;
  /** Aliases by their first word, for matching by word starts. */
  byFirstWord: Map<string, Array<{ key: string; unit: Unit }>>;
  gazetteer: Gazetteer;
} | null = null;

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function validate(raw: unknown, file: string): Unit[] {
  const obj = raw as { units?: unknown };
  if (!obj || !Array.isArray(obj.units)) throw new Error(`units: ${file} has no "units" array`);
  const seen = new Set<string>();
  return obj.units.map((u: unknown, i: number) => {
    const r = u as Record<string, unknown>;
    for (const f of ['id', 'vi', 'en', 'level'] as const) {
      if (typeof r[f] !== 'string' || !(r[f] as string).trim()) throw new Error(`units: ${file} entry ${i} lacks "${f}"`);
    }
    if (!LEVELS.has(r.level as string)) throw new Error(`units: ${file} entry ${r.id as string} has unknown level "${r.level as string}"`);
    if (seen.has(r.id as string)) throw new Error(`units: ${file} has duplicate id "${r.id as string}"`);
    seen.add(r.id as string);
    return {
      id: r.id as string, vi: r.vi as string, en: r.en as string, level: r.level as UnitLevel,
      abbreviations: list(r.abbreviations), variants: list(r.variants),
      ...(r.kind === 'ministry' ? { kind: 'ministry' as const } : {}),
      ...(typeof r.parent === 'string' ? { parent: r.parent } : {}),
    };
  });
}

/** A relative phrase of a pattern: how a document names its issuer's own unit (`Văn phòng`, `Bộ`). */
export interface RelativePhrase {
  phrase: string;
  /** Words after which the phrase names something else (`Bộ trưởng`, `các đơn vị thuộc …`). */
  notBefore: string[];
}

export interface UnitPattern {
  /** Suffix of the expanded unit's id (`office` → `molisa-office`); empty for the parent itself. */
  id: string;
  vi: string;
  en: string;
  level: UnitLevel;
  relative: RelativePhrase[];
  abbreviations: string[];
}

export interface Province {
  /** `tỉnh` or `thành phố`. */
  kind: string;
  vi: string;
  en: string;
  slug: string;
}

export interface Gazetteer {
  patterns: Record<'ministry' | 'province' | 'department', UnitPattern[]>;
  sectors: Unit[];
  provinces: Province[];
}

/** Default location of the provinces list (63 before and 34 after the 2025 merger). */
export const DEFAULT_PROVINCES_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../data/provinces.json');

/** A run of characters no slug keeps, e.g. ` - ` in `labour - invalids`. */
const NON_SLUG_RUN_RE = /[^a-z0-9]+/g;
/** A hyphen at either end of a slug, e.g. the last `-` of `molisa-`. */
const EDGE_HYPHEN_RE = /^-|-$/g;

function slug(en: string): string {
  return foldDiacritics(en.toLowerCase()).replace(NON_SLUG_RUN_RE, '-').replace(EDGE_HYPHEN_RE, '');
}

function readProvinces(file: string): Province[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { before2025?: unknown; after2025?: unknown };
  if (!Array.isArray(raw.before2025) || !Array.isArray(raw.after2025)) throw new Error(`units: ${file} needs "before2025" and "after2025"`);
  const out = new Map<string, Province>();
  for (const [kind, vi, en] of raw.before2025 as Array<[string, string, string]>) out.set(vi, { kind, vi, en, slug: slug(en) });
  for (const p of raw.after2025 as Array<{ kind: string; vi: string; en: string }>) if (!out.has(p.vi)) out.set(p.vi, { kind: p.kind, vi: p.vi, en: p.en, slug: slug(p.en) });
  return [...out.values()];
}

function readPatterns(raw: unknown, file: string): Gazetteer['patterns'] {
  const obj = (raw ?? {}) as Record<string, unknown>;
  const one = (v: unknown): UnitPattern[] => (Array.isArray(v) ? v : []).map((p: Record<string, unknown>) => {
    if (typeof p.vi !== 'string' || typeof p.en !== 'string' || !LEVELS.has(p.level as string)) throw new Error(`units: ${file} has a pattern without vi, en or a known level`);
    return {
      id: typeof p.id === 'string' ? p.id : '', vi: p.vi, en: p.en, level: p.level as UnitLevel,
      relative: (Array.isArray(p.relative) ? p.relative : []).map((r: Record<string, unknown>) => ({ phrase: String(r.phrase), notBefore: list(r.notBefore) })),
      abbreviations: list(p.abbreviations),
    };
  });
  return { ministry: one(obj.ministry), province: one(obj.province), department: one(obj.department) };
}

/** A placeholder of a unit pattern, e.g. `{province}` in `Sở {sector} {kind} {provinceVi}`. */
const PLACEHOLDER_RE = /\{(\w+)\}/g;
/** A run of white space, e.g. the double space left by an empty placeholder. */
const SPACE_RUN_RE = /\s+/g;

/** `{name}` placeholders of a pattern filled from a context. */
export function fillTemplate(t: string, ctx: Record<string, string>): string {
  return t.replace(PLACEHOLDER_RE, (_, k: string) => ctx[k] ?? '').replace(SPACE_RUN_RE, ' ').trim();
}

/** An acronym in parentheses at the end of an English name, e.g. `(MOLISA)`. */
const TRAILING_ACRONYM_RE = /\(([^)]+)\)\s*$/u;
/** Parentheses ending a name, with the space before, e.g. ` (MOLISA)`. */
const TRAILING_PARENS_RE = /\s*\([^)]*\)\s*$/u;
/** A word with a capital then lower case, e.g. `Bộ LĐTBXH` (not `BLĐTBXH`). */
const CAPITALISED_START_RE = /^\p{Lu}\p{Ll}/u;
/** The head of a ministry's English name, e.g. `Ministry of ` in `Ministry of Health`. */
const MINISTRY_OF_RE = /^Ministry of /u;

/** Placeholder values of a ministry (or ministerial-level agency) for its subordinate units. */
export function ministryContext(m: Unit): Record<string, string> {
  const acronym = TRAILING_ACRONYM_RE.exec(m.en)?.[1];
  const enShort = m.en.replace(TRAILING_PARENS_RE, '');
  const viAbbr = m.abbreviations.find((a) => CAPITALISED_START_RE.test(a) && a.includes(' ')) ?? m.vi;
  return { vi: m.vi, en: m.en, enShort, enSubject: enShort.replace(MINISTRY_OF_RE, ''), abbr: acronym ?? enShort, abbrVi: viAbbr };
}

/** Placeholder values of a province. */
export function provinceContext(p: Province): Record<string, string> {
  const city = p.kind === 'thành phố';
  return { vi: p.vi, en: p.en, kind: p.kind, Level: city ? 'Municipal' : 'Provincial', partyCommittee: city ? 'Thành ủy' : 'Tỉnh ủy' };
}

/** The `Sở ` that starts a department's name, e.g. in `Sở Y tế`. */
const SO_WORD_RE = /^Sở\s+/u;
/** A name that starts with `Sở`, e.g. `Sở LĐTBXH`. */
const SO_PREFIX_RE = /^Sở\s/u;
/** The head of a department's English name, e.g. `Department of ` in `Department of Health`. */
const DEPARTMENT_OF_RE = /^Department of /u;

/** Placeholder values of a provincial department (`Sở … tỉnh Bắc Ninh`). */
export function departmentContext(sector: Unit, p: Province): Record<string, string> {
  const acronym = TRAILING_ACRONYM_RE.exec(sector.en)?.[1];
  const enShort = sector.en.replace(TRAILING_PARENS_RE, '');
  const sectorName = sector.vi.replace(SO_WORD_RE, '');
  const sectorAbbr = (sector.abbreviations.find((a) => SO_PREFIX_RE.test(a)) ?? '').replace(SO_WORD_RE, '') || sectorName;
  return {
    vi: `${sector.vi} ${p.kind} ${p.vi}`, en: enShort, abbr: acronym ?? enShort, enSubject: enShort.replace(DEPARTMENT_OF_RE, ''),
    province: p.en, provinceVi: p.vi, kind: p.kind, sector: sectorName, sectorAbbr,
  };
}

/** A placeholder left unfilled, e.g. the `{` of `{abbr}`. */
const UNFILLED_RE = /\{/u;

/** The unit a pattern names for one parent. */
export function expandPattern(p: UnitPattern, parentId: string, ctx: Record<string, string>, parent?: Unit): Unit {
  if (!p.id && parent) return parent;
  return {
    id: p.id ? `${parentId}-${p.id}` : parentId,
    vi: fillTemplate(p.vi, { ...ctx, vi: ctx.vi! }),
    en: fillTemplate(p.en, ctx),
    level: p.level,
    abbreviations: p.abbreviations.map((a) => fillTemplate(a, { ...ctx, abbr: ctx.abbrVi ?? ctx.abbr ?? '' })).filter((a) => !UNFILLED_RE.test(a)),
    variants: [],
    parent: parentId,
  };
}

/** Expands the ministry and province patterns for every ministry and province (departments are expanded per document). */
function expand(units: Unit[], g: Gazetteer): Unit[] {
  const out: Unit[] = [...units, ...g.sectors];
  const ids = new Set(out.map((u) => u.id));
  const push = (u: Unit): void => {
    if (ids.has(u.id)) return;
    ids.add(u.id);
    out.push(u);
  };
  for (const m of units.filter((u) => u.kind === 'ministry')) for (const p of g.patterns.ministry) if (p.id) push(expandPattern(p, m.id, ministryContext(m)));
  for (const pr of g.provinces) for (const p of g.patterns.province) if (p.id) push(expandPattern(p, pr.slug, provinceContext(pr)));
  return out;
}

/**
 * Loads (and caches) the gazetteer: named units plus the standard subordinate units of every ministry and province.
 * @example loadUnits().find(u => u.id === 'molisa')?.en
 */
export function loadUnits(file: string = DEFAULT_UNITS_FILE): Unit[] {
  if (cache && cache.file === file) return cache.units;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new Error(`units: cannot read gazetteer ${file}`, { cause });
  }
  const named = validate(raw, file);
  const sectors = validate({ units: (Array.isArray(raw.departmentSectors) ? raw.departmentSectors : []).map((s: Record<string, unknown>) => ({ ...s, level: 'provincial-department' })) }, file);
  const gazetteer: Gazetteer = {
    patterns: readPatterns(raw.patterns, file),
    sectors,
    provinces: raw.patterns ? readProvinces(DEFAULT_PROVINCES_FILE) : [],
  };
  const units = expand(named, gazetteer);
  const aliases: Array<{ key: string; unit: Unit }> = [];
  const byKey = new Map<string, Unit>();
  for (const u of units) {
    for (const name of [u.vi, ...u.abbreviations, ...u.variants, u.en]) {
      const key = unitKey(name);
      if (!key) continue;
      aliases.push({ key, unit: u });
      if (!byKey.has(key)) byKey.set(key, u);
    }
  }
  // Longest alias first so `Ban Bí thư Trung ương Đoàn …` wins over `Ban Bí thư`.
  aliases.sort((a, b) => b.key.length - a.key.length);
  const byFirstWord = new Map<string, Array<{ key: string; unit: Unit }>>();
  for (const a of aliases) {
    const w = a.key.split(' ')[0]!;
    byFirstWord.set(w, [...(byFirstWord.get(w) ?? []), a]);
  }
  cache = { file, units, aliases, byKey, byFirstWord, gazetteer };
  return units;
}

/** The loaded gazetteer's patterns, department sectors and provinces. */
export function gazetteer(): Gazetteer {
  loadUnits();
  return cache!.gazetteer;
}

/** A letter or digit, e.g. the `B` of `Bộ`. */
const WORD_CHAR_RE = /[\p{L}\p{N}]/u;

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && WORD_CHAR_RE.test(c);
}

/** Punctuation ending a word, e.g. the `,` of `tế,`. */
const TRAILING_PUNCT_RE = /[^\p{L}\p{N}]+$/u;

/**
 * Every gazetteer unit named in `text`, non-overlapping, longest match first, with original offsets.
 * @example matchUnits('gửi Bộ Lao động – Thương binh và Xã hội')[0].unit.id === 'molisa'
 */
export function matchUnits(text: string): UnitMatch[] {
  loadUnits();
  const { norm, starts, ends } = normalizeWithMap(text);
  const found: Array<{ unit: Unit; s: number; e: number }> = [];
  // Word starts, left to right; at each, the longest alias that begins there (aliases are sorted longest first).
  let i = 0;
  while (i < norm.length) {
    if (!isWordChar(norm[i]) || isWordChar(norm[i - 1])) { i++; continue; }
    let j = i;
    while (j < norm.length && norm[j] !== ' ') j++;
    const word = norm.slice(i, j);
    let hit: { unit: Unit; e: number } | null = null;
    for (const { key, unit } of cache!.byFirstWord.get(word) ?? cache!.byFirstWord.get(word.replace(TRAILING_PUNCT_RE, '')) ?? []) {
      if (!norm.startsWith(key, i) || isWordChar(norm[i + key.length])) continue;
      hit = { unit, e: i + key.length };
      break;
    }
    if (hit) {
      found.push({ unit: hit.unit, s: i, e: hit.e });
      i = hit.e;
    } else i = j;
  }
  return found.map(({ unit, s, e }) => ({ unit, start: starts[s]!, end: ends[e - 1]!, surface: text.slice(starts[s]!, ends[e - 1]!) }));
}

/**
 * The unit a name, abbreviation or English name denotes (exact after normalisation), or null.
 * @example findUnit('MOLISA')?.vi === 'Bộ Lao động - Thương binh và Xã hội'
 */
export function findUnit(name: string): Unit | null {
  loadUnits();
  let key = unitKey(name);
  const direct = cache!.byKey.get(key) ?? departmentUnits().get(key);
  if (direct) return direct;
  key = key.replace(LEADING_ARTICLES_RE, '');
  return cache!.byKey.get(key) ?? cache!.byKey.get(`các ${key}`) ?? departmentUnits().get(key) ?? null;
}

let departments: Map<string, Unit> | null = null;

/**
 * Every provincial department's units by name (`Văn phòng Sở … tỉnh Bắc Ninh`), built on first use: they are
 * not matched in running text (a document names them relative to its issuer) but are looked up by name.
 */
function departmentUnits(): Map<string, Unit> {
  if (departments) return departments;
  const g = cache!.gazetteer;
  departments = new Map();
  for (const sector of g.sectors) {
    for (const p of g.provinces) {
      const ctx = departmentContext(sector, p);
      const parent: Unit = { id: `${p.slug}-${sector.id}`, vi: ctx.vi!, en: `${p.en} ${sector.en}`, level: 'provincial-department', abbreviations: [], variants: [], parent: p.slug };
      departments.set(unitKey(parent.vi), parent);
      for (const pat of g.patterns.department) if (pat.id) {
        const u = expandPattern(pat, parent.id, ctx, parent);
        departments.set(unitKey(u.vi), u);
      }
    }
  }
  return departments;
}

/**
 * The unit of a provincial department (`Sở …` of a province), as its documents name it.
 * @example departmentUnit(sector, province).vi === 'Sở Lao động - Thương binh và Xã hội tỉnh Bắc Ninh'
 */
export function departmentUnit(sector: Unit, p: Province): Unit {
  loadUnits();
  return departmentUnits().get(unitKey(departmentContext(sector, p).vi!))!;
}

/**
 * Units a loose query means: exact name/abbreviation/English first; otherwise every unit whose
 * Vietnamese or English name contains the query as whole words (diacritics optional).
 * @example findUnits("Provincial People's Committee") // Bắc Ninh PPC and the provincial PPCs
 */
export function findUnits(query: string): Unit[] {
  const units = loadUnits();
  const q = unitKey(query).replace(LEADING_ARTICLES_RE, '');
  if (!q) return [];
  const qFold = foldDiacritics(q);
  const out = new Set<Unit>();
  const exact = findUnit(query);
  if (exact) out.add(exact);
  const re = new RegExp(`(?:^|[^\\p{L}\\p{N}])${escapeRegExp(qFold)}s?(?:$|[^\\p{L}\\p{N}])`, 'u'); // `s?`: English plurals
  for (const u of units) {
    for (const name of [u.vi, u.en, ...u.abbreviations, ...u.variants]) {
      if (re.test(foldDiacritics(unitKey(name)))) {
        out.add(u);
        break;
      }
    }
  }
  return [...out];
}

/**
 * English name of a Vietnamese unit name (any known spelling or abbreviation), or null when unknown.
 * @example englishName('Ban Kinh tế Trung ương') === 'Central Economic Commission'
 */
export function englishName(vi: string): string | null {
  return findUnit(vi)?.en ?? null;
}
