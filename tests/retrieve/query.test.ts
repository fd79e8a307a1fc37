// Query analysis: document references (loose and exact, ambiguous ones), section references, intent.
import { describe, expect, it } from 'vitest';
import { detectIntent, findDocRefs, findSectionRefs } from '../../src/retrieve/query.ts';
import type { DocMeta } from '../../src/doc/types.ts';

const meta = (id: string, number: string, implementsList: string[] = []): DocMeta => ({
  id, file: `corpus/${id}.txt`, type: null, number, numberRaw: null, numberInferred: null, date: null, dateRaw: null,
  dateInferred: null, issuer: null, signer: null, signerTitle: null, title: id, summary: null, implements: implementsList, cites: [],
});
const metas = [meta('gov', '68/NQ-CP', ['42-NQ/TW']), meta('qd', '1240/QĐ-LĐTBXH', ['11-NQ/TW']), meta('ctr', '568-CTr/BCSD', ['29-NQ/TW'])];
const numbers = ['68/NQ-CP', '42-NQ/TW', '42-KL/TU', '1240/QĐ-LĐTBXH', '11-NQ/TW', '568-CTr/BCSD', '29-NQ/TW', '246/KH-UBND'];
const impl = (n: string) => metas.filter((m) => m.implements.includes(n)).map((m) => m.id);

describe('document references', () => {
  it('"Resolution 42" prefers the resolution over Kết luận 42-KL/TU and says it is ambiguous', () => {
    const [r] = findDocRefs('Which unit reports Resolution 42 results?', metas, numbers, impl);
    expect(r!.candidates).toEqual(expect.arrayContaining(['42-NQ/TW']));
    expect(r!.chosen).toBe('42-NQ/TW');
    expect(r!.implementerIds).toEqual(['gov']);
  });
  it('"NQ 42" typed without diacritics, "QĐ 1240", "Decision 1240", "No. 568", an exact number', () => {
    expect(findDocRefs('nq 42 giao ai bao cao', metas, numbers, impl)[0]!.implementerIds).toEqual(['gov']);
    expect(findDocRefs('Theo QĐ 1240 thì sao', metas, numbers, impl)[0]!.docIds).toEqual(['qd']);
    expect(findDocRefs('Under MOLISA Decision 1240', metas, numbers, impl)[0]!.docIds).toEqual(['qd']);
    expect(findDocRefs('Action Program No. 568', metas, numbers, impl)[0]!.docIds).toEqual(['ctr']);
    expect(findDocRefs('theo 68/NQ-CP', metas, numbers, impl)[0]!.docIds).toEqual(['gov']);
  });
  it('every document type of data/doc-types.json names its numbers: "Nghị định 15", "Decree 15", "Thông tư 15", "Circular 15"', () => {
    const decree = meta('decree', '15/2020/NĐ-CP');
    const circular = meta('circular', '15/2019/TT-BLĐTBXH');
    const all = [...metas, decree, circular];
    const nums = [...numbers, '15/2020/NĐ-CP', '15/2019/TT-BLĐTBXH', '15-KH/TW'];
    const docs = (q: string) => findDocRefs(q, all, nums, impl).flatMap((r) => r.docIds);
    expect(docs('Nghị định 15 quy định gì?')).toEqual(['decree']);
    expect(docs('What does Decree 15 require?')).toEqual(['decree']);
    expect(docs('Thông tư 15 hướng dẫn gì?')).toEqual(['circular']);
    expect(docs('nghi dinh 15 quy dinh gi')).toEqual(['decree']);
    expect(docs('Under Circular 15')).toEqual(['circular']);
    // `đã` folds to `da`, the symbol of a scheme: it names no type, so the plan word before it still counts.
    expect(findDocRefs('kế hoạch đã nêu 246', all, nums, impl)[0]!.candidates).toEqual(['246/KH-UBND']);
  });
  it('years and percentages are not document numbers', () => {
    expect(findDocRefs('mục tiêu đến năm 2030 là 90%', metas, numbers, impl)).toEqual([]);
  });
});

describe('section references and intent', () => {
  it('finds appendix, article and part references', () => {
    expect(findSectionRefs('Phụ lục II Kế hoạch 1240')).toEqual([{ prefix: 'Phụ lục II' }]);
    expect(findSectionRefs('Under Article 3 of Decision 1240')).toEqual([{ prefix: 'Điều 3' }]);
  });
  it('classifies who / when / who+when / number / metadata', () => {
    expect(detectIntent('Which unit reports Resolution 42 results, and by when?')).toBe('who+when');
    expect(detectIntent('Đơn vị nào chủ trì xây dựng kế hoạch?')).toBe('who');
    expect(detectIntent('mat tran phai xong ke hoach khi nao')).toBe('when');
    expect(detectIntent('chi tieu ty le ho ngheo den nam 2025 la bao nhieu')).toBe('number');
    expect(detectIntent('Kế hoạch này do ai ký?')).toBe('metadata');
    expect(detectIntent('Who signed the action program No. 568?')).toBe('metadata');
  });
});
