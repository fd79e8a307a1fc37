// Documents a question names by issuer and type: a per-document signal of the retriever, beside numbers and places.
import { describe, expect, it } from 'vitest';
import { docsByIssuerAndType } from '../../src/retrieve/issuers.ts';
import { otherEnglishOrder, withIssuerRef, type DocRef } from '../../src/retrieve/query.ts';
import { referencedGroups } from '../../src/retrieve/retriever.ts';

// A made-up corpus: two programmes of one resolution by different issuers, a ministry's decision issuing a plan, a law.
const metas = [
  { id: 'gov-programme', issuer: 'Chính phủ', type: 'Chương trình hành động', title: 'Chương trình hành động thực hiện Nghị quyết 7' },
  { id: 'party-plan', issuer: 'Ban Bí thư', type: 'Kế hoạch', title: 'Kế hoạch thực hiện Nghị quyết 7' },
  { id: 'moh-decision', issuer: 'Bộ Y tế', type: 'Quyết định', title: 'Quyết định ban hành Kế hoạch hành động của Bộ Y tế' },
  { id: 'law', issuer: 'Quốc hội', type: 'Luật', title: 'Luật Dược' },
];

describe('documents named by issuer and type', () => {
  it('an issuer with a type the document has (or its title issues) selects it', () => {
    expect(docsByIssuerAndType('Chương trình hành động của Chính phủ giao gì?', metas, [])).toEqual(['gov-programme']);
    expect(docsByIssuerAndType('Kế hoạch của Ban Bí thư có mấy nhiệm vụ?', metas, [])).toEqual(['party-plan']);
    expect(docsByIssuerAndType('Trong kế hoạch của Bộ Y tế, ai chủ trì?', metas, [])).toEqual(['moh-decision']);
  });
  it('an issuer without a type word is an actor of the question, not a document it points at', () => {
    expect(docsByIssuerAndType('Ai báo cáo Chính phủ hằng năm?', metas, [])).toEqual([]);
  });
  it('an English question is read through the Vietnamese phrases the glossary gives it', () => {
    expect(docsByIssuerAndType("What does the Government's programme say?", metas, ['Chính phủ', 'Chương trình'])).toEqual(['gov-programme']);
  });
  it('a type alone, or a type of another issuer, selects nothing', () => {
    expect(docsByIssuerAndType('Kế hoạch nào giao Bộ Y tế báo cáo?', metas.filter((m) => m.id !== 'moh-decision'), [])).toEqual([]);
  });
});

const ref = (over: Partial<DocRef>): DocRef => ({ raw: '7', docIds: [], implementerIds: [], candidates: ['7-NQ/TW'], ambiguous: false, chosen: '7-NQ/TW', ...over });

describe('the issuer reference', () => {
  it('is added beside the number that selects the documents, and makes no group of its own then', () => {
    const refs = withIssuerRef([ref({ implementerIds: ['gov-programme', 'party-plan'] })], ['party-plan']);
    expect(refs).toHaveLength(2);
    expect(refs[1]).toMatchObject({ via: 'issuer', implementerIds: ['party-plan'] });
    expect(referencedGroups({ docRefs: refs })).toEqual([['gov-programme', 'party-plan']]);
  });
  it('is the group when nothing else names documents', () => {
    expect(referencedGroups({ docRefs: withIssuerRef([], ['party-plan']) })).toEqual([['party-plan']]);
  });
  it('is not added when the question names a document by number or name (the issuer describes it)', () => {
    expect(withIssuerRef([ref({ docIds: ['law'], chosen: '105/2016/QH13' })], ['law'])).toHaveLength(1);
    expect(withIssuerRef([ref({ docIds: ['law'], chosen: '105/2016/QH13' })], ['moh-decision'])).toHaveLength(1);
  });
});

describe('English names of laws in both orders', () => {
  it('"Law on X" also reads "X Law", and "X Code" also "Code on X"', () => {
    expect(otherEnglishOrder('Law on Occupational safety and health', 'Luật')).toEqual(['Occupational safety and health Law']);
    expect(otherEnglishOrder('Labour Code', 'Bộ luật')).toEqual(['Code on Labour']);
    expect(otherEnglishOrder('Resolution 7', 'Luật')).toEqual([]);
  });
});

describe('the type word belongs to the issuer', () => {
  it('a type word far before the issuer, or after it, does not make it the issuer of a document', () => {
    expect(docsByIssuerAndType('Theo Luật Dược, ai phải báo cáo Quốc hội hằng năm?', metas, [])).toEqual([]);
    expect(docsByIssuerAndType('Kế hoạch hành động năm 2024 của Bộ Y tế', metas, [])).toEqual(['moh-decision']);
  });
});
