// Citation labels: pure functions of a document's metadata, a section path and the answer's language.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { citationLabel } from '../../src/doc/label.ts';
import { extractMetadata, inferIdentities } from '../../src/ingest/metadata.ts';
import { parseOutline } from '../../src/ingest/outline.ts';

function load(file: string) {
  const text = readFileSync(file, 'utf8');
  const sections = parseOutline(text);
  return { meta: extractMetadata({ id: file.replace(/^.*\/|\.txt$/g, ''), file, text, sections }), text, sections };
}

const labour = load('tests/fixtures/laws/Bo-Luat-lao-dong-2019-333670.txt').meta;
const employment = load('tests/fixtures/laws/Luat-viec-lam-nam-2013-215628.txt').meta;

describe('citation labels', () => {
  it('law sections read as điểm/khoản/Điều with the law and its number', () => {
    expect(citationLabel(labour, 'Điều 35.1.a', 'vi')).toBe('điểm a khoản 1 Điều 35 Bộ luật Lao động số 45/2019/QH14');
    expect(citationLabel(labour, 'Điều 25.2', 'vi')).toBe('khoản 2 Điều 25 Bộ luật Lao động số 45/2019/QH14');
    expect(citationLabel(labour, 'Điều 35.1.a', 'en')).toBe('Labour Code No. 45/2019/QH14, Article 35(1)(a)');
    expect(citationLabel(employment, 'Điều 3', 'en')).toBe('Law on Employment No. 38/2013/QH13, Article 3');
  });

  it('a programme issued with a resolution is named through it; appendix rows and decisions read naturally', () => {
    const docs = ['corpus/ctrhd-chinh-phu-nq42.txt', 'corpus/kh-bac-ninh-sldtbxh-nq42.txt', 'corpus/qd-1240-bldtbxh-nq11.txt', 'corpus/kh-bo-chinh-tri-nq42.txt'].map(load);
    inferIdentities(docs);
    const [gov, , qd, politburo] = docs.map((d) => d.meta);
    expect(citationLabel(gov!, 'III.3.d', 'vi')).toBe('mục III.3.d Chương trình hành động ban hành kèm theo Nghị quyết số 68/NQ-CP');
    expect(citationLabel(gov!, 'III.3.d', 'en')).toBe('Government Action Programme (Resolution 68/NQ-CP), III.3.d');
    expect(citationLabel(qd!, 'Phụ lục II/STT 8', 'vi')).toBe('STT 8 Phụ lục II Quyết định số 1240/QĐ-LĐTBXH');
    expect(citationLabel(qd!, 'Phụ lục II/STT 8', 'en')).toBe('Decision No. 1240/QĐ-LĐTBXH, Appendix II, item 8');
    expect(citationLabel(qd!, 'Điều 2', 'en')).toBe('Decision No. 1240/QĐ-LĐTBXH, Article 2');
    if (!politburo!.number) expect(citationLabel(politburo!, 'II.3', 'en')).toBe('Politburo Plan, II.3');
  });
});
