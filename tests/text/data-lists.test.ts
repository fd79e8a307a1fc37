// Word lists that used to live in code are data files with a header (what for, from where), validated on load.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyText } from '../../src/bots/adapter.ts';
import { englishDate, englishMonth } from '../../src/doc/dates.ts';
import { findNumberRefs } from '../../src/doc/numbers.ts';
import { cueList, dataFile, loadCues, loadWordMap } from '../../src/text/cues.ts';
import { compileGlossary, expandQuery } from '../../src/text/glossary.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'plancite-data-'));
const write = (name: string, body: unknown): string => {
  const f = path.join(dir, name);
  writeFileSync(f, JSON.stringify(body));
  return f;
};

describe('word maps', () => {
  it('spelling.json maps British to American spellings', () => {
    const m = loadWordMap(dataFile('spelling.json'));
    expect(m.get('labour')).toBe('labor');
    expect(m.get('programme')).toBe('program');
    expect(m.has('constructor')).toBe(false);
    // The glossary matches either spelling of a question against either spelling of an entry.
    const g = compileGlossary([{ en: ['labour market'], vi: ['thị trường lao động'] }]);
    expect(expandQuery(g, 'What about the labor market?').vi).toContain('thị trường lao động');
  });

  it('refuses a map without its header or with an empty replacement, naming the field', () => {
    expect(() => loadWordMap(write('no-about.json', { version: 1, source: 's', map: { a: 'b' } }))).toThrow(/about/);
    expect(() => loadWordMap(write('empty.json', { version: 1, about: 'a', source: 's', map: { colour: ' ' } }))).toThrow(/map\.colour: empty replacement/);
  });
});

describe('cue lists of the register, the LLM reply and the bots', () => {
  it('each file has its header and the lists the code reads', () => {
    for (const [file, lists] of [
      ['register-words.json', ['subjectEnders', 'recipientFillers', 'fillerPieces']],
      ['llm-reply.json', ['quoteHeadings']],
      ['bot-words.json', ['help']],
      ['embed-words.json', ['aliasFunctionWords']],
      ['reference-words.json', ['numberWords', 'appendixWords', 'articleWords', 'partWords']],
    ] as const) {
      for (const l of lists) expect(cueList(dataFile(file), l).length).toBeGreaterThan(0);
    }
    expect(() => cueList(dataFile('bot-words.json'), 'nope')).toThrow(/needs the list "nope"/);
    expect(Object.keys(loadCues(write('ok.json', { version: 1, about: 'a', source: 's', lists: { x: ['y'] } })))).toEqual(['x']);
  });

  it('bot help words come from the data file', () => {
    for (const w of cueList(dataFile('bot-words.json'), 'help')) expect(classifyText(w)).toEqual({ help: true });
    expect(classifyText('Ai chủ trì?')).toEqual({ question: 'Ai chủ trì?' });
  });
});

describe('one source for document types and month names', () => {
  it('a reference takes its type from data/doc-types.json, the longest name first', () => {
    const refs = findNumberRefs('căn cứ Bộ luật số 45/2019/QH14 và Kế hoạch hành động số 19-KH/TW, Nghị quyết số 68/NQ-CP');
    expect(refs.map((r) => r.typeWord)).toEqual(['Bộ luật', 'Kế hoạch hành động', 'Nghị quyết']);
  });

  it('English month names and dates', () => {
    expect(englishMonth(1)).toBe('January');
    expect(englishMonth(12)).toBe('December');
    expect(englishDate('2024-05-09')).toBe('9 May 2024');
  });
});
