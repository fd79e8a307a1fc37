// Cue lists (words that signal an intent, a refusal case or a follow-up) loaded from validated data files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { foldDiacritics, normalizeForMatch } from './normalize.ts';
import { escapeRegExp } from './strings.ts';

/** A cue file: what the lists are for, where the entries come from, and the named lists of phrases. */
const cueFileSchema = z
  .object({
    version: z.literal(1),
    about: z.string().min(1, 'says what the lists are for'),
    source: z.string().min(1, 'says where the entries come from'),
    lists: z.record(z.string(), z.array(z.string().trim().min(1, 'empty phrase')).min(1, 'empty list')),
  })
  .strict();

export type CueLists = Readonly<Record<string, readonly string[]>>;

const cache = new Map<string, CueLists>();

/** A word-map file: what the map is for, where the entries come from, and each word with the word it becomes. */
const wordMapFileSchema = z
  .object({
    version: z.literal(1),
    about: z.string().min(1, 'says what the map is for'),
    source: z.string().min(1, 'says where the entries come from'),
    map: z.record(z.string().trim().min(1, 'empty word'), z.string().trim().min(1, 'empty replacement')),
  })
  .strict();

const mapCache = new Map<string, ReadonlyMap<string, string>>();

/** Location of a data file shipped in `data/`, resolved from this module. */
export function dataFile(name: string): string {
  return fileURLToPath(new URL(`../../data/${name}`, import.meta.url));
}

/**
 * One named list of a cue file; a file without it fails naming the file and the list.
 * @example cueList(dataFile('bot-words.json'), 'help').includes('giúp')
 */
export function cueList(path: string, list: string): readonly string[] {
  const words = loadCues(path)[list];
  if (!words) throw new AppError('config', `cues: ${path} needs the list "${list}"`);
  return words;
}

/** The parsed JSON of a data file; an unreadable one fails naming the file. */
function readData(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new AppError('config', `data file ${path}: cannot read or parse JSON: ${(cause as Error).message}`, { cause });
  }
}

/**
 * A data file parsed and validated by `schema`; a bad file fails naming the file and the field.
 * @example readValidated(dataFile('lexicon.json'), lexiconFileSchema).entries.length
 */
export function readValidated<T>(path: string, schema: z.ZodType<T>): T {
  const r = schema.safeParse(readData(path));
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new AppError('config', `data file ${path}: ${i.path.join('.') || 'file'}: ${i.message}`);
  }
  return r.data;
}

/**
 * Loads (once) and validates a cue file; a bad file fails naming the file and the field.
 * @example loadCues(dataFile('query-cues.json')).who.includes('ai')
 */
export function loadCues(path: string): CueLists {
  const hit = cache.get(path);
  if (hit) return hit;
  const { lists } = readValidated(path, cueFileSchema);
  cache.set(path, lists);
  return lists;
}

/**
 * Loads (once) and validates a word-map file (data/spelling.json); a bad file fails naming the file and the field.
 * @example loadWordMap(dataFile('spelling.json')).get('labour') === 'labor'
 */
export function loadWordMap(path: string): ReadonlyMap<string, string> {
  const hit = mapCache.get(path);
  if (hit) return hit;
  const map = new Map(Object.entries(readValidated(path, wordMapFileSchema).map));
  mapCache.set(path, map);
  return map;
}

/** Text as cues are matched: NFC, lower case, tone placement and dashes normalised, diacritics folded. */
export function foldCueText(s: string): string {
  return foldDiacritics(normalizeForMatch(s));
}


/** The anchors of a cue, e.g. the `^` and `$` of `^thi sao$`. */
const CUE_ANCHORS_RE = /^\^|\$$/g;
/** A gap inside a cue, e.g. ` … ` in `ban hanh … ngay`. */
const CUE_GAP_RE = /\s*(?:…|\.\.\.)\s*/;
/** A run of white space, e.g. the two spaces in `don  vi`. */
const SPACE_RUN_RE = /\s+/g;
/** Starts with a letter or digit, e.g. `ai`. */
const WORD_START_RE = /^[\p{L}\p{N}]/u;
/** Ends with a letter or digit, e.g. `don vi nao`. */
const WORD_END_RE = /[\p{L}\p{N}]$/u;

/**
 * Compiles phrases into one regex over folded text. Phrases match whole words; `…` inside a phrase
 * stands for any words between (`ban hanh … ngay`), a leading `^` anchors at the start of the question
 * and a trailing `$` at its end (`thi sao$`).
 * @example cueRegex(['ai', 'don vi nao']).test(foldCueText('Đơn vị nào chủ trì?')) === true
 */
export function cueRegex(phrases: readonly string[]): RegExp {
  const alts = phrases.map((p) => {
    const start = p.startsWith('^');
    const end = p.endsWith('$');
    const folded = foldCueText(p.replace(CUE_ANCHORS_RE, ''));
    const body = folded
      .split(CUE_GAP_RE)
      .map((part) => escapeRegExp(part).replace(SPACE_RUN_RE, '\\s+'))
      // A gap is any words between, but whole words: `ca … va` does not match inside `cao … vao`.
      .join('(?:[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}].*?[^\\p{L}\\p{N}])');
    const wordStart = WORD_START_RE.test(folded);
    const wordEnd = WORD_END_RE.test(folded);
    const before = start ? '^\\s*' : wordStart ? '(?<![\\p{L}\\p{N}])' : '';
    const after = end ? '[\\s?.!]*$' : wordEnd ? '(?![\\p{L}\\p{N}])' : '';
    return `${before}${body}${after}`;
  });
  return new RegExp(alts.map((a) => `(?:${a})`).join('|'), 'u');
}

/** Compiled cue regexes of a file, by list name. */
export function cueMatchers(path: string): Readonly<Record<string, RegExp>> {
  const lists = loadCues(path);
  return Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, cueRegex(v)]));
}
