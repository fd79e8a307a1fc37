// Property-based fuzzing of the document path: loader, outline parser, metadata and register extraction never throw
// on random or mutated documents, keep offsets inside the text, and every evidence is a verbatim slice.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isRealDate } from '../../src/server/validate.ts';
import { decodeText, LoadError, loadFile } from '../../src/ingest/load.ts';
import { extractMetadata } from '../../src/ingest/metadata.ts';
import { parseOutline } from '../../src/ingest/outline.ts';
import { extractObligations } from '../../src/register/index.ts';
import type { Section } from '../../src/doc/types.ts';
import { anyDocument, check, checkAsync, CORPUS, FUZZ_TIMEOUT_MS, RUNS } from './generators.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'plancite-fuzz-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Bytes a loader may meet: random, text in a legacy or UTF encoding, or a corpus file cut and flipped. */
const fileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 4000 }).map((a) => Buffer.from(a)),
  anyDocument.map((t) => Buffer.from(t, 'utf8')),
  anyDocument.map((t) => Buffer.from(t, 'utf16le')),
  fc.tuple(fc.constantFrom(...CORPUS), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 })).map(([doc, flips]) => {
    const b = Buffer.from(doc, 'utf8');
    for (const [at, v] of flips) b[at % b.length] = v;
    return b;
  }),
);

function checkSections(text: string, sections: Section[]): void {
  const paths = new Set(sections.map((s) => s.path));
  for (const s of sections) {
    expect(Number.isInteger(s.start) && Number.isInteger(s.end), s.path).toBe(true);
    expect(s.start, s.path).toBeGreaterThanOrEqual(0);
    expect(s.end, s.path).toBeLessThanOrEqual(text.length);
    expect(s.start, s.path).toBeLessThanOrEqual(s.end);
    if (s.parent !== null) expect(paths.has(s.parent), `parent of ${s.path}`).toBe(true);
    for (const c of s.children) expect(paths.has(c), `child ${c} of ${s.path}`).toBe(true);
  }
}

describe('fuzz: documents', () => {
  it('the text decoder returns text or a LoadError, never another exception', () => {
    check('decodeText', fileBytes, (bytes) => {
      try {
        const d = decodeText(bytes, 'fuzz.txt');
        expect(typeof d.text).toBe('string');
      } catch (e) {
        if (!(e instanceof LoadError)) throw e;
      }
    });
  }, FUZZ_TIMEOUT_MS);

  it('loadFile on random .txt/.md/.docx/.pdf files returns a document or a LoadError', async () => {
    let n = 0;
    await checkAsync(
      'loadFile',
      fc.tuple(fileBytes, fc.constantFrom('txt', 'md', 'docx', 'pdf')),
      async ([bytes, ext]) => {
        const file = path.join(tmp, `f${n++}.${ext}`);
        writeFileSync(file, bytes);
        try {
          const r = await loadFile(file, { pdfExtractor: 'unpdf' });
          expect(typeof r.text).toBe('string');
        } catch (e) {
          if (!(e instanceof LoadError)) throw e;
        } finally {
          rmSync(file, { force: true });
        }
      },
      Math.max(20, Math.round(RUNS / 10)),
    );
  }, FUZZ_TIMEOUT_MS);

  it('the outline parser never throws and keeps every section inside the text, with a consistent tree', () => {
    check('parseOutline', anyDocument, (text) => {
      checkSections(text, parseOutline(text));
    });
  }, FUZZ_TIMEOUT_MS);

  it('metadata extraction never throws; dates are real; lists are lists', () => {
    check('extractMetadata', anyDocument, (text) => {
      const meta = extractMetadata({ id: 'fuzz', file: 'corpus/fuzz.txt', text, sections: parseOutline(text) });
      expect(typeof meta.title).toBe('string');
      if (meta.date !== null) expect(isRealDate(meta.date), meta.date).toBe(true);
      expect(Array.isArray(meta.implements) && Array.isArray(meta.cites)).toBe(true);
      for (const n of [...meta.implements, ...meta.cites]) expect(typeof n).toBe('string');
    });
  }, FUZZ_TIMEOUT_MS);

  it('register extraction never throws; every evidence is verbatim and every section exists', () => {
    check('extractObligations', anyDocument, (text) => {
      const sections = parseOutline(text);
      const paths = new Set(sections.map((s) => s.path));
      for (const o of extractObligations({ docId: 'fuzz', docNumber: null, text, sections })) {
        expect(text.includes(o.evidence), `evidence of ${o.id} is verbatim`).toBe(true);
        expect(paths.has(o.section), `section ${o.section}`).toBe(true);
        for (const d of [o.deadline?.start, o.deadline?.end]) if (d && /^\d{4}-\d{2}-\d{2}$/.test(d)) expect(isRealDate(d), d).toBe(true);
      }
    });
  }, FUZZ_TIMEOUT_MS);
});
