// References in questions resolve across kinds: law titles, abbreviations, numbers, English names, clause paths.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractMetadata } from '../../src/ingest/metadata.ts';
import { parseOutline } from '../../src/ingest/outline.ts';
import { findDocRefs, findSectionRefs } from '../../src/retrieve/query.ts';

const files = [
  'tests/fixtures/laws/Bo-Luat-lao-dong-2019-333670.txt',
  'tests/fixtures/laws/Luat-viec-lam-nam-2013-215628.txt',
  'tests/fixtures/laws/Luat-Bao-hiem-xa-hoi-2014-259700.txt',
  'tests/fixtures/laws/Luat-nguoi-khuyet-tat-2010-108081.txt',
  'corpus/ctrhd-chinh-phu-nq42.txt',
];
const metas = files.map((f) => {
  const text = readFileSync(f, 'utf8');
  return extractMetadata({ id: f.replace(/^.*\/|\.txt$/g, ''), file: f, text, sections: parseOutline(text) });
});
const numbers = metas.map((m) => m.number).filter((n): n is string => !!n);
const docsOf = (q: string) => findDocRefs(q, metas, numbers, () => []).flatMap((r) => r.docIds);

describe('document references by name, abbreviation, number and English name', () => {
  it.each([
    ['Thời gian thử việc theo Bộ luật Lao động là bao lâu?', 'Bo-Luat-lao-dong-2019-333670'],
    ['BLLĐ 2019 quy định gì về thử việc?', 'Bo-Luat-lao-dong-2019-333670'],
    ['Điều 35 BLLĐ nói gì?', 'Bo-Luat-lao-dong-2019-333670'],
    ['Luật 45/2019/QH14 có hiệu lực khi nào?', 'Bo-Luat-lao-dong-2019-333670'],
    ['What does the Labour Code say about probation?', 'Bo-Luat-lao-dong-2019-333670'],
    ['Luật Việc làm quy định gì về bảo hiểm thất nghiệp?', 'Luat-viec-lam-nam-2013-215628'],
    ['luat viec lam quy dinh gi', 'Luat-viec-lam-nam-2013-215628'],
    ['Under the Employment Law, who pays unemployment insurance?', 'Luat-viec-lam-nam-2013-215628'],
    ['What does the Law on Persons with Disabilities require?', 'Luat-nguoi-khuyet-tat-2010-108081'],
  ])('%s → %s', (q, id) => {
    expect(docsOf(q)).toEqual([id]);
  });

  it('a question naming no document finds none', () => {
    expect(docsOf('Người lao động được nghỉ bao nhiêu ngày?')).toEqual([]);
  });
});

describe('section references', () => {
  it.each([
    ['khoản 2 Điều 25', 'Điều 25.2'],
    ['điểm a khoản 1 Điều 35 Bộ luật Lao động', 'Điều 35.1.a'],
    ['diem a khoan 1 dieu 35', 'Điều 35.1.a'],
    ['Article 35(1)(a) of the Labour Code', 'Điều 35.1.a'],
    ['Điều 125 BLLĐ', 'Điều 125'],
    ['Phụ lục II', 'Phụ lục II'],
  ])('%s → %s', (q, prefix) => {
    expect(findSectionRefs(q).map((r) => r.prefix)).toEqual([prefix]);
  });
});
