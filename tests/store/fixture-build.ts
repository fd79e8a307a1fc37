// A small, real index build for store tests: five plans of corpus/, one law of tests/fixtures/laws and a
// document holding words that name Object.prototype members, parsed and chunked by the real ingest code.
// Vectors come from a deterministic hashed bag of syllables (no model needed), unit length.
import path from 'node:path';
import { chunkDocument } from '../../src/ingest/chunk.ts';
import { loadFile } from '../../src/ingest/load.ts';
import { extractMetadata, inferIdentities } from '../../src/ingest/metadata.ts';
import { parseOutline } from '../../src/ingest/outline.ts';
import { buildRegister } from '../../src/register/index.ts';
import { sha256 } from '../../src/store/index-store.ts';
import type { IndexBuild, StoredDoc } from '../../src/store/ports.ts';
import { tokenize } from '../../src/text/normalize.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const FIXTURE_DIM = 32;

const FILES = [
  'corpus/ctr-568-bcsd-nq29.txt',
  'corpus/ctrhd-chinh-phu-nq42.txt',
  'corpus/kh-bac-ninh-sldtbxh-nq42.txt',
  'corpus/kh-bo-chinh-tri-nq42.txt',
  'corpus/qd-1240-bldtbxh-nq11.txt',
  'tests/fixtures/laws/Luat-viec-lam-nam-2013-215628.txt',
];

/** Text of the extra document: ordinary Vietnamese plus words that are Object.prototype member names. */
export const PROTO_DOC_TEXT = 'KẾ HOẠCH\nThử nghiệm từ khóa\n\nI. MỤC ĐÍCH\n1. Kiểm tra các từ constructor, toString, __proto__ và hasOwnProperty trong chỉ mục từ khóa.\n';

/** Deterministic embedding: syllables hashed into FIXTURE_DIM buckets, L2-normalised (zero when no syllable). */
export function fixtureVector(text: string): Float32Array {
  const v = new Float32Array(FIXTURE_DIM);
  for (const t of tokenize(text)) {
    let h = 0;
    for (let i = 0; i < t.length; i++) h = (Math.imul(h, 31) + t.charCodeAt(i)) >>> 0;
    v[h % FIXTURE_DIM]! += 1;
  }
  let s = 0;
  for (const x of v) s += x * x;
  if (s > 0) for (let i = 0; i < v.length; i++) v[i]! /= Math.sqrt(s);
  return v;
}

/** Builds the fixture index (documents, chunks, vectors, register) in memory. */
export async function fixtureBuild(): Promise<IndexBuild> {
  const docs: StoredDoc[] = [];
  for (const rel of FILES) {
    const loaded = await loadFile(path.join(ROOT, rel));
    const id = path.basename(rel, '.txt');
    const sections = parseOutline(loaded.text);
    docs.push({ meta: extractMetadata({ id, file: rel, text: loaded.text, sections }), text: loaded.text, sections, hash: sha256(loaded.text) });
  }
  const sections = parseOutline(PROTO_DOC_TEXT);
  docs.push({ meta: extractMetadata({ id: 'proto-words', file: 'proto-words.txt', text: PROTO_DOC_TEXT, sections }), text: PROTO_DOC_TEXT, sections, hash: sha256(PROTO_DOC_TEXT) });
  inferIdentities(docs);
  const chunks = docs.flatMap((d) => chunkDocument(d.meta, d.text, d.sections));
  const vectors = new Float32Array(chunks.length * FIXTURE_DIM);
  chunks.forEach((c, i) => vectors.set(fixtureVector(c.indexText), i * FIXTURE_DIM));
  const { obligations, lineage } = buildRegister(docs);
  return {
    docs,
    chunks,
    vectors,
    obligations,
    lineage: lineage.edges,
    embedder: { id: 'fixture-hash', dim: FIXTURE_DIM, queryPrefix: '', passagePrefix: '' },
  };
}
