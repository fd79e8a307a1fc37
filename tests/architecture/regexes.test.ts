// Regexes in code are named module-level constants with a one-line comment and an example (STYLE.md, issue 9):
// no regex literal is written inside a function anywhere in src/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { census, inlineRegexes } from './regex-census.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where no regex literal may stand inside a function: every TypeScript file of src/ (the browser scripts of src/server/public are not TypeScript). */
const CLEAN = ['src'];

describe('regex literals', () => {
  it('the census finds a regex inside a function, method or arrow, and not a module-level constant', () => {
    const src = [
      '/** A digit, e.g. `4`. */',
      'const DIGIT_RE = /\\d/;',
      'const f = (s: string) => /x/.test(s);',
      'function g(s: string) { return s.replace(/y/g, ""); }',
      'class C { m(s: string) { return /z/.exec(s); } }',
    ].join('\n');
    expect(inlineRegexes('a.ts', src).map((h) => [h.line, h.text])).toEqual([[3, '/x/'], [4, '/y/g'], [5, '/z/']]);
  });

  it(`no regex literal is written inside a function in ${CLEAN.join(', ')}`, () => {
    const hits = census(root, CLEAN).map((h) => `${h.file}:${h.line} ${h.text}`);
    expect(hits).toEqual([]);
  });
});
