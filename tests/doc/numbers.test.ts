// Document-number references in running text: the number, its date and the type word written before it.
import { describe, expect, it } from 'vitest';
import { docTypes } from '../../src/doc/doctypes.ts';
import { findNumberRefs } from '../../src/doc/numbers.ts';

const typeOf = (text: string): Array<[string, string | null]> => findNumberRefs(text).map((r) => [r.number, r.typeWord]);

describe('findNumberRefs: the type word before a number', () => {
  it.each([
    ['Nghị quyết 68/NQ-CP về kinh tế tư nhân', '68/NQ-CP', 'Nghị quyết'],
    ['Nghị quyết số 68/NQ-CP về kinh tế tư nhân', '68/NQ-CP', 'Nghị quyết'],
    ['Nghị quyết số: 68/NQ-CP', '68/NQ-CP', 'Nghị quyết'],
    ['theo Luật 45/2019/QH14', '45/2019/QH14', 'Luật'],
    ['theo Bộ luật 45/2019/QH14', '45/2019/QH14', 'Bộ luật'],
    ['KẾ HOẠCH HÀNH ĐỘNG 19-KH/TW', '19-KH/TW', 'Kế hoạch hành động'],
    ['Quyết định\n1240/QĐ-LĐTBXH', '1240/QĐ-LĐTBXH', 'Quyết định'],
  ])('%s → %s is a %s', (text, number, type) => {
    expect(typeOf(text)).toEqual([[number, type]]);
  });

  it('every type of data/doc-types.json is read directly before a number, with or without "số"', () => {
    for (const t of docTypes()) {
      expect(typeOf(`căn cứ ${t.vi} 12/2020/ND-CP`), t.vi).toEqual([['12/2020/ND-CP', t.vi]]);
      expect(typeOf(`căn cứ ${t.vi} số 12/2020/ND-CP`), t.vi).toEqual([['12/2020/ND-CP', t.vi]]);
    }
  });

  it('a type word that does not end the text before the number is not its type', () => {
    expect(typeOf('Nghị quyết của Chính phủ 68/NQ-CP')).toEqual([['68/NQ-CP', null]]);
    expect(typeOf('Luật sư 45/2019/QH14')).toEqual([['45/2019/QH14', null]]);
    expect(typeOf('(68/NQ-CP)')).toEqual([['68/NQ-CP', null]]);
  });
});
