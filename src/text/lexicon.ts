// Legal and administrative term bank (data/lexicon.json): English words of a question → the corpus's Vietnamese terms.
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { dataFile, readValidated } from './cues.ts';

/** The shipped lexicon. */
export const DEFAULT_LEXICON_PATH = dataFile('lexicon.json');

/** Most Vietnamese terms one lexicon entry expands to: an English word is one concept, not a topic. */
export const MAX_VI_PER_ENTRY = 3;
/** Fewest syllables of a lexicon term: one syllable alone (`xã`, `phạt`) matches too much of any law. */
export const MIN_VI_SYLLABLES = 2;

/** One lexicon entry, shaped as a glossary entry of kind `term` (src/text/glossary.ts compiles both together). */
export interface LexiconEntry {
  en: string[];
  vi: string[];
  kind: 'term';
}

/** A loaded lexicon: its entries (kind `term`) and the English words too broad to be translated alone. */
export interface Lexicon {
  readonly source: string;
  readonly entries: readonly LexiconEntry[];
  /** Lower-case English words that no entry may have as a one-word term (`work`, `law`, `state`). */
  readonly broad: ReadonlySet<string>;
}

const entrySchema = z
  .object({
    vi: z
      .array(z.string().trim().min(1, 'empty Vietnamese term'))
      .min(1, 'needs at least one Vietnamese term')
      .max(MAX_VI_PER_ENTRY, `at most ${MAX_VI_PER_ENTRY} Vietnamese terms`),
    en: z.array(z.string().trim().min(1, 'empty English term')).min(1, 'needs at least one English term'),
  })
  .strict();

const fileSchema = z
  .object({
    version: z.literal(1),
    about: z.string().min(1, 'says what the lexicon is for'),
    source: z.string().min(1, 'says where the entries come from'),
    broad: z.array(z.string().trim().min(1, 'empty word')).min(1, 'lists the English words too broad to translate alone'),
    entries: z.array(z.unknown()).min(1, 'has entries'),
  })
  .strict();

/** A run of white space, e.g. between `bảo` and `hiểm`. */
const SPACE_RUN_RE = /\s+/u;

/**
 * Loads and validates a lexicon file; a bad file fails naming the entry and the rule it breaks. Checked here: each
 * entry has 1–3 Vietnamese terms of two syllables or more, no English term is a broad word on its own, no English
 * term is in two entries (case-insensitive). Terms shared with the glossary are refused when both are compiled
 * together ({@link loadGlossary}).
 * @example loadLexicon().entries.find((e) => e.vi.includes('khám sức khỏe'))?.en.includes('health check')
 */
export function loadLexicon(path: string = DEFAULT_LEXICON_PATH): Lexicon {
  const file = readValidated(path, fileSchema);
  const broad = new Set(file.broad.map((w) => w.toLowerCase()));
  const owner = new Map<string, number>();
  const entries: LexiconEntry[] = [];
  file.entries.forEach((item, i) => {
    const r = entrySchema.safeParse(item);
    const where = `lexicon ${path}: entry ${i} (${JSON.stringify(item).slice(0, 60)})`;
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new AppError('config', `${where}: ${issue.path.join('.') || 'entry'}: ${issue.message}`);
    }
    for (const v of r.data.vi) {
      if (v.split(SPACE_RUN_RE).length < MIN_VI_SYLLABLES) throw new AppError('config', `${where}: Vietnamese term "${v}" has fewer than ${MIN_VI_SYLLABLES} syllables`);
    }
    for (const t of r.data.en) {
      const key = t.toLowerCase();
      if (broad.has(key)) throw new AppError('config', `${where}: English term "${t}" is a broad word; use it in a phrase`);
      const prev = owner.get(key);
      if (prev !== undefined) throw new AppError('config', `${where}: English term "${t}" is also in entry ${prev}`);
      owner.set(key, i);
    }
    entries.push({ en: r.data.en, vi: r.data.vi, kind: 'term' });
  });
  return { source: path, entries, broad };
}
