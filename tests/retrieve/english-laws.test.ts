// Laws named in English by names the glossary does not list, through the glossary's and lexicon's translations.
import { describe, expect, it } from 'vitest';
import type { DocMeta } from '../../src/doc/types.ts';
import { findEnglishLawRefs } from '../../src/retrieve/english-laws.ts';
import { expandQuery, loadGlossary } from '../../src/text/glossary.ts';

const law = (id: string, type: string, name: string, date: string, number: string) => ({ id, type, name, date, number, title: `${type} ${name}` }) as DocMeta;
const metas = [
  law('hngd-2014', 'Luật', 'Hôn nhân và gia đình', '2014-06-19', '52/2014/QH13'),
  law('hngd-2000', 'Luật', 'Hôn nhân và gia đình', '2000-06-09', '22/2000/QH10'),
  law('blds-2015', 'Bộ luật', 'Dân sự', '2015-11-24', '91/2015/QH13'),
  law('cu-tru-2020', 'Luật', 'Cư trú', '2020-11-13', '68/2020/QH14'),
  law('thue-2019', 'Luật', 'Quản lý thuế', '2019-06-13', '38/2019/QH14'),
  law('tre-em-2016', 'Luật', 'Trẻ em', '2016-04-05', '102/2016/QH13'),
];
const glossary = loadGlossary();
const translate = (t: string) => expandQuery(glossary, t).vi;
const ids = (q: string) => findEnglishLawRefs(q, metas, translate).map((r) => r.docIds[0]);

describe('findEnglishLawRefs', () => {
  it('reads "Law on X", "X Law" and "X Code" through the glossary, the latest law of a name unless a year says which', () => {
    expect(ids('What does Article 8 of the Law on Marriage and Family say?')).toEqual(['hngd-2014']);
    expect(ids('Under the 2000 Marriage and Family Law, who may marry?')).toEqual(['hngd-2000']);
    expect(ids('What interest rate does the Civil Code allow?')).toEqual(['blds-2015']);
    expect(ids('From when is the Law on Residence in force?')).toEqual(['cu-tru-2020']);
    expect(ids('When must monthly returns be filed under the Tax Administration Law?')).toEqual(['thue-2019']);
  });
  it('names nothing without the word law or code, or when the words next to it are not a law’s name', () => {
    expect(ids('What does the family court decide about marriage?')).toEqual([]);
    expect(ids('What does the law say about children and marriage?')).toEqual([]);
    expect(ids('Is there a code of conduct for tax officials?')).toEqual([]);
  });
});
