// Task kinds and their cue words (data/task-kinds.json), shared by register extraction and question analysis.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OBLIGATION_KINDS, type ObligationKind } from '../doc/types.ts';
import { foldDiacritics, normalizeForMatch } from '../text/normalize.ts';
import { escapeRegExp } from '../text/strings.ts';

export const DEFAULT_TASK_KINDS_FILE = fileURLToPath(new URL('../../data/task-kinds.json', import.meta.url));

export interface KindCues {
  kind: string;
  vi: string[];
  en: string[];
}

/** How a kind is named to people (plan view, list answers). */
export interface KindLabel {
  kind: ObligationKind;
  vi: string;
  en: string;
}

interface KindsFile {
  kinds: KindCues[];
  labels: { kinds: KindLabel[] };
  stateBodies: { heads: string[] };
}

let cache: (KindsFile & { textRes: Map<string, RegExp>; questionRes: Array<{ kind: string; re: RegExp }> }) | null = null;

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
    textRes.set(k.kind, new RegExp(`(?<![\\p{L}])(?:${k.vi.map(escapeRegExp).join('|')})(?![\\p{L}])`, 'iu'));
    const folded = [...k.vi.map((v) => foldDiacritics(normalizeForMatch(v))), ...k.en.map((e) => normalizeForMatch(e))];
    questionRes.push({ kind: k.kind, re: new RegExp(`(?<![\\p{L}])(?:${folded.map(escapeRegExp).join('|')})(?![\\p{L}])`, 'u') });
  }
  const labels = raw.labels?.kinds;
  if (!Array.isArray(labels) || labels.some((l) => typeof l?.vi !== 'string' || !l.vi || typeof l.en !== 'string' || !l.en)) {
    throw new Error(`register: ${DEFAULT_TASK_KINDS_FILE} needs "labels.kinds" with a Vietnamese and an English name per kind`);
  }
  const missing = OBLIGATION_KINDS.filter((k) => !labels.some((l) => l.kind === k));
  if (missing.length) throw new Error(`register: ${DEFAULT_TASK_KINDS_FILE} names no label for kind ${missing.join(', ')}`);
  cache = { kinds: raw.kinds, labels: { kinds: labels }, stateBodies: raw.stateBodies, textRes, questionRes };
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
 * Where the first cue of the kind stands in a document's text (NFC), or -1.
 * @example kindCueIndex('monitor', 'các sở theo dõi, đôn đốc') === 7
 */
export function kindCueIndex(kind: string, text: string): number {
  return load().textRes.get(kind)?.exec(text.normalize('NFC'))?.index ?? -1;
}

/** At most eight words with their spaces, e.g. `các sở, ngành ` before a cue. */
const OPENING_WORDS_RE = /^(?:\S+\s){0,8}$/u;

/**
 * True when the kind's first cue stands among the first nine words of a text: the sentence opens with that task.
 * @example kindCueOpens('coordinate', 'các sở, ngành phối hợp triển khai') === true
 */
export function kindCueOpens(kind: string, text: string): boolean {
  const nfc = text.normalize('NFC');
  const at = kindCueIndex(kind, nfc);
  return at >= 0 && OPENING_WORDS_RE.test(nfc.slice(0, at));
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

/** Every kind's Vietnamese and English name, in display order (data/task-kinds.json `labels`). */
export function kindLabels(): KindLabel[] {
  return load().labels.kinds;
}

/**
 * The name of a kind in a language; the kind itself when the data names none.
 * @example kindLabel('report', 'en') === 'Reporting'
 */
export function kindLabel(kind: string, lang: 'vi' | 'en'): string {
  return load().labels.kinds.find((l) => l.kind === kind)?.[lang] ?? kind;
}
