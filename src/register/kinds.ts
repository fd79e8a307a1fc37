// Task kinds and their cue words (data/task-kinds.json), shared by register extraction and question analysis.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { foldDiacritics, normalizeForMatch } from '../text/normalize.ts';

export const DEFAULT_TASK_KINDS_FILE = fileURLToPath(new URL('../../data/task-kinds.json', import.meta.url));

export interface KindCues {
  kind: string;
  vi: string[];
  en: string[];
}

interface KindsFile {
  kinds: KindCues[];
  stateBodies: { heads: string[] };
}

let cache: (KindsFile & { textRes: Map<string, RegExp>; questionRes: Array<{ kind: string; re: RegExp }> }) | null = null;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function load(): NonNullable<typeof cache> {
  if (cache) return cache;
  let raw: Partial<KindsFile>;
  try {
    raw = JSON.parse(readFileSync(DEFAULT_TASK_KINDS_FILE, 'utf8')) as Partial<KindsFile>;
  } catch (cause) {
    throw new Error(`register: cannot read task kinds ${DEFAULT_TASK_KINDS_FILE}`, { cause });
  }
  if (!Array.isArray(raw.kinds) || !raw.stateBodies || !Array.isArray(raw.stateBodies.heads)) throw new Error(`register: ${DEFAULT_TASK_KINDS_FILE} needs "kinds" and "stateBodies.heads"`);
  const textRes = new Map<string, RegExp>();
  const questionRes: Array<{ kind: string; re: RegExp }> = [];
  for (const k of raw.kinds) {
    if (typeof k.kind !== 'string' || !Array.isArray(k.vi) || !Array.isArray(k.en)) throw new Error(`register: bad kind entry in ${DEFAULT_TASK_KINDS_FILE}`);
    textRes.set(k.kind, new RegExp(`(?<![\\p{L}])(?:${k.vi.map(escape).join('|')})(?![\\p{L}])`, 'iu'));
    const folded = [...k.vi.map((v) => foldDiacritics(normalizeForMatch(v))), ...k.en.map((e) => normalizeForMatch(e))];
    questionRes.push({ kind: k.kind, re: new RegExp(`(?<![\\p{L}])(?:${folded.map(escape).join('|')})(?![\\p{L}])`, 'u') });
  }
  cache = { kinds: raw.kinds, stateBodies: raw.stateBodies, textRes, questionRes };
  return cache;
}

/**
 * True when a document's text carries a cue of the kind (`báo cáo` → report).
 * @example hasKindCue('report', 'định kỳ báo cáo Chính phủ') === true
 */
export function hasKindCue(kind: string, text: string): boolean {
  return load().textRes.get(kind)?.test(text.normalize('NFC')) ?? false;
}

/**
 * The task kinds a question asks about, from the same cue words (diacritics optional, English too).
 * @example kindsInQuestion('Which unit reports on Resolution 42?') // ['report']
 */
export function kindsInQuestion(question: string): string[] {
  const f = foldDiacritics(normalizeForMatch(question));
  return load().questionRes.filter((k) => k.re.test(f)).map((k) => k.kind);
}

/** How the names of state bodies begin (`Ủy ban nhân dân`, `Bộ`, `Chính phủ`), longest first. */
export function stateBodyHeads(): string[] {
  return [...load().stateBodies.heads].sort((a, b) => b.length - a.length);
}
