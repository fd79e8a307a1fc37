// The legal/administrative lexicon (data/lexicon.json): the shipped file validates, compiles with the glossary, and
// gives English questions the Vietnamese terms of their content words, shared by weight and guarded against broad words.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { BROAD_WORD_PHRASES, compileGlossary, DEFAULT_GLOSSARY_PATH, expandQuery, glossaryAliases, loadGlossary } from '../../src/text/glossary.ts';
import { DEFAULT_LEXICON_PATH, loadLexicon, MAX_VI_PER_ENTRY, MIN_VI_SYLLABLES } from '../../src/text/lexicon.ts';
import { normalizeForMatch } from '../../src/text/normalize.ts';

const lexicon = loadLexicon();
const g = loadGlossary();
const n = normalizeForMatch;
const viOf = (q: string) => expandQuery(g, q).vi.map(n);

/** A lexicon file with the given entries (and header fields overridden), written to a temp folder. */
function lexiconFile(entries: unknown[], header: Record<string, unknown> = {}): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'plancite-lexicon-')), 'lexicon.json');
  writeFileSync(file, JSON.stringify({ version: 1, about: 'test', source: 'test', broad: ['work', 'law'], entries, ...header }));
  return file;
}

describe('the shipped lexicon', () => {
  it('loads with several hundred entries of kind term, each within the limits', () => {
    expect(lexicon.source).toBe(DEFAULT_LEXICON_PATH);
    expect(lexicon.entries.length).toBeGreaterThanOrEqual(500);
    for (const e of lexicon.entries) {
      expect(e.kind).toBe('term');
      expect(e.vi.length).toBeLessThanOrEqual(MAX_VI_PER_ENTRY);
      for (const v of e.vi) expect(v.split(/\s+/).length).toBeGreaterThanOrEqual(MIN_VI_SYLLABLES);
      for (const t of e.en) expect(lexicon.broad.has(t.toLowerCase())).toBe(false);
    }
    for (const w of ['work', 'law', 'state']) expect(lexicon.broad.has(w)).toBe(true);
  });

  it('compiles after the glossary with no English term in both', () => {
    const own = loadGlossary(DEFAULT_GLOSSARY_PATH, null);
    expect(g.entries.length).toBe(own.entries.length + lexicon.entries.length);
    expect(g.broad).toEqual(lexicon.broad);
  });

  it('gives the static embedder English → Vietnamese anchors for its terms', () => {
    const anchors = glossaryAliases(g);
    expect(anchors.length).toBeGreaterThan(glossaryAliases(loadGlossary(DEFAULT_GLOSSARY_PATH, null)).length);
    expect(anchors).toContainEqual({ term: 'job search', target: 'tìm kiếm việc làm' });
  });
});

describe('loadLexicon refuses a bad file, naming the entry and the rule', () => {
  const fails = (file: string, message: RegExp) => {
    expect(() => loadLexicon(file)).toThrow(AppError);
    expect(() => loadLexicon(file)).toThrow(message);
  };
  it('a header without its source', () => fails(lexiconFile([{ vi: ['hồ sơ'], en: ['dossier'] }], { source: undefined }), /source/));
  it('a one-syllable Vietnamese term', () => fails(lexiconFile([{ vi: ['phạt'], en: ['fine'] }]), /entry 0 .*"phạt" has fewer than 2 syllables/));
  it('a broad English word on its own', () => fails(lexiconFile([{ vi: ['công việc'], en: ['work'] }]), /entry 0 .*"work" is a broad word/));
  it('an English term in two entries', () => fails(lexiconFile([{ vi: ['hồ sơ'], en: ['dossier'] }, { vi: ['hồ sơ đề nghị'], en: ['Dossier'] }]), /entry 1 .*"Dossier" is also in entry 0/));
  it('too many Vietnamese terms for one entry', () => fails(lexiconFile([{ vi: ['hồ sơ', 'giấy tờ', 'tài liệu', 'văn bản'], en: ['papers'] }]), /at most 3/));
  it('an English term the glossary already has (refused when both are compiled)', () => {
    const file = lexiconFile([{ vi: ['lập kế hoạch'], en: ['Politburo'] }]);
    expect(() => loadLexicon(file)).not.toThrow();
    expect(() => loadGlossary(DEFAULT_GLOSSARY_PATH, file)).toThrow(/"Politburo" is also in entry/);
  });
});

describe('English questions get the Vietnamese terms of their content words', () => {
  it.each([
    ['How do I file an application for the unemployment allowance?', ['nộp hồ sơ', 'trợ cấp thất nghiệp']],
    ['How often must employers arrange a periodic medical examination for workers?', ['khám sức khỏe định kỳ']],
    ['Which council determines the level of disability?', ['hội đồng', 'mức độ khuyết tật']],
    ['What is the contribution rate of the health insurance fund?', ['mức đóng', 'quỹ bảo hiểm y tế']],
    ['Who may not do heavy, toxic and dangerous work?', ['nặng nhọc, độc hại, nguy hiểm']],
    ['How long is the limitation period for complaints?', ['thời hiệu khiếu nại']],
  ])('%s', (question, terms) => {
    expect(viOf(question)).toEqual(expect.arrayContaining(terms.map(n)));
  });

  it('matches a multi-word phrase before its words ("periodic medical examination", not "periodic" and "medical")', () => {
    const m = expandQuery(g, 'periodic medical examination').matched;
    expect(m.map((x) => x.en)).toEqual(['periodic medical examination']);
  });

  it('leaves Vietnamese questions to their own words', () => {
    expect(expandQuery(g, 'Hồ sơ hưởng trợ cấp thất nghiệp gồm những gì?').vi).toEqual([]);
  });
});

describe('expansion weights', () => {
  const inline = compileGlossary(
    [
      { en: ['rights'], vi: ['quyền', 'quyền lợi', 'lợi ích hợp pháp'] },
      { en: ['heavy work'], vi: ['công việc nặng nhọc'] },
      { en: ['contribute'], vi: ['đóng bảo hiểm', 'mức đóng'] },
    ],
    '<inline>',
    new Set(['rights', 'work']),
  );

  it('shares one English term’s weight among its Vietnamese terms (1/√k each)', () => {
    const shared = expandQuery(inline, 'Who must contribute?').weighted;
    expect(shared.map((p) => p.vi)).toEqual(['đóng bảo hiểm', 'mức đóng']);
    for (const p of shared) expect(p.weight).toBeCloseTo(1 / Math.sqrt(2), 12);
    expect(expandQuery(inline, 'heavy work').weighted).toEqual([{ vi: 'công việc nặng nhọc', weight: 1 }]);
  });

  it(`expands a broad word matched alone to its first ${BROAD_WORD_PHRASES} terms only`, () => {
    expect(expandQuery(inline, 'What rights?').vi).toEqual(['quyền', 'quyền lợi']);
    expect(expandQuery(compileGlossary([{ en: ['rights'], vi: ['quyền', 'quyền lợi', 'lợi ích hợp pháp'] }]), 'What rights?').vi).toHaveLength(3);
  });
});
