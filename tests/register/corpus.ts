// Test helper: loads the real corpus through the real outline, metadata and register path.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseOutline } from '../../src/ingest/outline.ts';
import { extractMetadata, inferIdentities } from '../../src/ingest/metadata.ts';
import { buildRegister, type RegisterDoc } from '../../src/register/index.ts';

export const CORPUS_DIR = resolve(import.meta.dirname, '../../corpus');

let cached: (ReturnType<typeof buildRegister> & { docs: RegisterDoc[] }) | null = null;

/** Every corpus .txt with its outline, metadata (identities inferred) and the register built from them. */
export function loadCorpusRegister(): ReturnType<typeof buildRegister> & { docs: RegisterDoc[] } {
  if (cached) return cached;
  const docs: RegisterDoc[] = readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => {
      const text = readFileSync(resolve(CORPUS_DIR, f), 'utf8');
      const sections = parseOutline(text);
      const meta = extractMetadata({ id: f.replace(/\.txt$/, ''), file: `corpus/${f}`, text, sections });
      return { meta, text, sections };
    });
  inferIdentities(docs);
  cached = { ...buildRegister(docs), docs };
  return cached;
}
