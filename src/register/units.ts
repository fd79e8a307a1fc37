// Unit gazetteer: loads data/units.json and finds agency names in text (normalised, longest first) with original offsets.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { foldDiacritics, normalizeWithMap } from '../text/normalize.ts';

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

let cache: { file: string; units: Unit[]; aliases: Array<{ key: string; unit: Unit }>; byKey: Map<string, Unit> } | null = null;

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
    const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return {
      id: r.id as string, vi: r.vi as string, en: r.en as string, level: r.level as UnitLevel,
      abbreviations: list(r.abbreviations), variants: list(r.variants),
    };
  });
}

/**
 * Loads (and caches) the gazetteer.
 * @example loadUnits().find(u => u.id === 'molisa')?.en
 */
export function loadUnits(file: string = DEFAULT_UNITS_FILE): Unit[] {
  if (cache && cache.file === file) return cache.units;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`units: cannot read gazetteer ${file}`, { cause });
  }
  const units = validate(raw, file);
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
  cache = { file, units, aliases, byKey };
  return units;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}

/**
 * Every gazetteer unit named in `text`, non-overlapping, longest match first, with original offsets.
 * @example matchUnits('gửi Bộ Lao động – Thương binh và Xã hội')[0].unit.id === 'molisa'
 */
export function matchUnits(text: string): UnitMatch[] {
  loadUnits();
  const { norm, starts, ends } = normalizeWithMap(text);
  const taken = new Uint8Array(norm.length);
  const found: Array<{ unit: Unit; s: number; e: number }> = [];
  for (const { key, unit } of cache!.aliases) {
    let from = 0;
    for (;;) {
      const s = norm.indexOf(key, from);
      if (s < 0) break;
      from = s + 1;
      const e = s + key.length;
      if (isWordChar(norm[s - 1]) || isWordChar(norm[e])) continue;
      let free = true;
      for (let k = s; k < e; k++) if (taken[k]) { free = false; break; }
      if (!free) continue;
      taken.fill(1, s, e);
      found.push({ unit, s, e });
    }
  }
  return found
    .sort((a, b) => a.s - b.s)
    .map(({ unit, s, e }) => ({ unit, start: starts[s]!, end: ends[e - 1]!, surface: text.slice(starts[s]!, ends[e - 1]!) }));
}

/**
 * The unit a name, abbreviation or English name denotes (exact after normalisation), or null.
 * @example findUnit('MOLISA')?.vi === 'Bộ Lao động - Thương binh và Xã hội'
 */
export function findUnit(name: string): Unit | null {
  loadUnits();
  let key = unitKey(name);
  const direct = cache!.byKey.get(key);
  if (direct) return direct;
  key = key.replace(LEADING_ARTICLES_RE, '');
  return cache!.byKey.get(key) ?? cache!.byKey.get(`các ${key}`) ?? null;
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
  const re = new RegExp(`(?:^|[^\\p{L}\\p{N}])${qFold.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}s?(?:$|[^\\p{L}\\p{N}])`, 'u'); // `s?`: English plurals
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
