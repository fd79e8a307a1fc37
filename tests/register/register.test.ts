// Register behaviour on the real corpus: verbatim evidence, outline paths, the "Done when" report set, units, lineage.
import { describe, expect, it } from 'vitest';
import { englishName, filterObligations, findUnit, findUnits, matchUnits, parseDeadline, resolveDocRef } from '../../src/register/index.ts';
import { loadCorpusRegister } from './corpus.ts';

describe('extraction on every document', () => {
  const { obligations, docs, lineage } = loadCorpusRegister();
  const metas = docs.map((d) => d.meta);

  it('extracts from all five documents, every evidence verbatim and every section an outline path', () => {
    for (const d of docs) {
      const own = obligations.filter((o) => o.docId === d.meta.id);
      expect(own.length, d.meta.id).toBeGreaterThan(0);
      const paths = new Set(d.sections.map((s) => s.path));
      for (const o of own) {
        expect(d.text.includes(o.evidence), `${o.id}: ${o.evidence.slice(0, 60)}`).toBe(true);
        expect(paths.has(o.section), `${o.id} section ${o.section}`).toBe(true);
        expect(o.docNumber).toBe(d.meta.number);
      }
    }
    expect(new Set(obligations.map((o) => o.id)).size).toBe(obligations.length);
  });

  it('finds the issue\'s report set for --doc "Nghị quyết 42" --kind report', () => {
    const got = filterObligations(obligations, { doc: 'Nghị quyết 42', kind: 'report' }, { metas, lineage });
    const find = (doc: string, section: string, pred: (o: (typeof got)[number]) => boolean) =>
      got.find((o) => o.docId === doc && o.section === section && pred(o));
    const molisaAnnual = find('ctrhd-chinh-phu-nq42', 'III.1', (o) => o.recipient === 'Chính phủ' && o.deadline?.type === 'annual');
    expect(molisaAnnual?.lead).toEqual(['Bộ Lao động - Thương binh và Xã hội']);
    const ministries = find('ctrhd-chinh-phu-nq42', 'III.3.d', (o) => o.deadline?.month === 12 && o.deadline?.day === 15);
    expect(ministries?.recipient).toBe('Bộ Lao động - Thương binh và Xã hội');
    expect(ministries?.lead).toContain('Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương');
    const cec = find('kh-bo-chinh-tri-nq42', 'V.3', (o) => o.recipient === 'Bộ Chính trị, Ban Bí thư');
    expect(cec?.lead).toEqual(['Ban Kinh tế Trung ương']);
    const bacNinh = find('kh-bac-ninh-sldtbxh-nq42', 'IV.3', (o) => o.recipient === 'Ban Thường vụ Tỉnh ủy Bắc Ninh');
    expect(bacNinh?.deadline).toMatchObject({ type: 'annual', month: 11, day: 10 });
    // Nothing from documents that do not implement Resolution 42.
    expect(got.every((o) => !['qd-1240-bldtbxh-nq11', 'ctr-568-bcsd-nq29'].includes(o.docId))).toBe(true);
  });

  it('filters by unit through abbreviations and English names', () => {
    const ctx = { metas, lineage };
    const byAbbr = filterObligations(obligations, { unit: 'Vụ KHTC' }, ctx);
    expect(byAbbr.length).toBeGreaterThan(0);
    expect(byAbbr.every((o) => [...o.lead, ...o.partners].includes('Vụ Kế hoạch - Tài chính'))).toBe(true);
    const cec = filterObligations(obligations, { unit: 'Central Economic Commission' }, ctx);
    expect(cec.map((o) => o.section)).toEqual(expect.arrayContaining(['IV.4', 'V.3']));
    const ppc = filterObligations(obligations, { unit: "Provincial People's Committees", kind: 'report' }, ctx);
    expect(ppc.some((o) => o.section === 'III.3.d')).toBe(true);
    expect(() => filterObligations(obligations, { kind: 'nonsense' }, ctx)).toThrow(/unknown obligation kind "nonsense"/);
    expect(() => filterObligations(obligations, { dueBefore: '15/12/2024' }, ctx)).toThrow(/YYYY-MM-DD/);
    const due = filterObligations(obligations, { dueBefore: '2024-03-31' }, ctx);
    expect(due.some((o) => o.deadline?.type === 'quarter' && o.deadline.end === '2024-03-31')).toBe(true);
    expect(due.some((o) => o.deadline?.end === '2026-12-31')).toBe(false);
  });

  it('stores appendix indicator rows as indicators with their responsible unit', () => {
    const ind = obligations.filter((o) => o.kind === 'indicator');
    expect(ind.map((o) => o.lead[0])).toEqual(['Cục Việc làm', 'Cục Việc làm', 'Văn phòng quốc gia về Giảm nghèo']);
    expect(ind[0]!.deadline).toMatchObject({ type: 'year', end: '2030-12-31' });
  });
});

describe('gazetteer', () => {
  it('matches spelling and dash variants with original offsets, NFD input included', () => {
    const s = 'gửi Bộ Lao động – Thương binh và Xã hội và Ban Thường vụ Tỉnh uỷ Bắc Ninh; Sở Lao động – TB và XH';
    const ms = matchUnits(s);
    // A department named without its province is the sector; the province comes from the document's issuer.
    expect(ms.map((m) => m.unit.id)).toEqual(['molisa', 'bac-ninh-party-standing', 'dolisa']);
    for (const m of ms) expect(s.slice(m.start, m.end)).toBe(m.surface);
    const nfd = 'báo cáo Ban Kinh tế Trung ương'.normalize('NFD');
    const [m] = matchUnits(nfd);
    expect(m?.unit.id).toBe('central-economic-commission');
    expect(nfd.slice(m!.start, m!.end)).toBe(m!.surface);
  });
  it('prefers the longest name and resolves abbreviations and English names', () => {
    expect(matchUnits('Ban Bí thư Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh')[0]?.unit.id).toBe('youth-union-secretariat');
    expect(findUnit('Bộ LĐTBXH')?.en).toBe('Ministry of Labour, Invalids and Social Affairs (MOLISA)');
    expect(findUnit('MOLISA')?.level).toBe('ministry');
    expect(findUnit('Sở LĐTBXH')?.level).toBe('provincial-department');
    expect(englishName('Ban Kinh tế Trung ương')).toBe('Central Economic Commission');
    expect(englishName('Bộ Chính trị')).toBe('Politburo');
    expect(englishName('Ban Bí thư')).toBe('Secretariat');
    expect(findUnits("Provincial People's Committee").map((u) => u.id)).toEqual(expect.arrayContaining(['bac-ninh-ppc', 'provincial-peoples-committees']));
    expect(findUnit('Không có cơ quan này')).toBeNull();
  });
});

describe('deadlines', () => {
  it('parses the plans\' time expressions', () => {
    expect(parseDeadline('… Nghị quyết (*hoàn thành trong quý I/2024*).')).toMatchObject({ type: 'quarter', start: '2024-01-01', end: '2024-03-31' });
    expect(parseDeadline('định kỳ hàng năm, tổng hợp, gửi Bộ trước ngày 15 tháng 12 để tổng hợp')).toMatchObject({ type: 'annual', month: 12, day: 15 });
    expect(parseDeadline('hoàn thành trước ngày 15 tháng 6 năm 2024.')).toMatchObject({ type: 'date', end: '2024-06-15' });
    expect(parseDeadline('(*cơ bản hoàn thành trong các năm 2023, 2024 và 2025*)')).toMatchObject({ type: 'range', start: '2023-01-01', end: '2025-12-31' });
    expect(parseDeadline('(*thực hiện từ năm 2023*)')).toMatchObject({ type: 'period', start: '2023-01-01' });
    expect(parseDeadline('thường xuyên theo dõi')).toMatchObject({ type: 'ongoing' });
    expect(parseDeadline('tầm nhìn đến năm 2045, ngày 24 tháng 11 năm 2023')).toBeNull();
  });
});

describe('lineage and loose references', () => {
  const { docs, lineage } = loadCorpusRegister();
  const metas = docs.map((d) => d.meta);
  const has = (from: string, to: string) => lineage.edges.some((e) => e.from === from && e.to === to);

  it('links the documents as the texts state', () => {
    expect(has('42-NQ/TW', 'kh-bo-chinh-tri-nq42')).toBe(true);
    expect(has('kh-bo-chinh-tri-nq42', 'ctrhd-chinh-phu-nq42')).toBe(true);
    expect(has('ctrhd-chinh-phu-nq42', '71-CTr/TU')).toBe(true);
    expect(has('ctrhd-chinh-phu-nq42', '246/KH-UBND')).toBe(true);
    expect(has('246/KH-UBND', 'kh-bac-ninh-sldtbxh-nq42')).toBe(true);
    expect(has('71-CTr/TU', 'kh-bac-ninh-sldtbxh-nq42')).toBe(true);
    expect(has('11-NQ/TW', '96/NQ-CP')).toBe(true);
    expect(has('96/NQ-CP', 'qd-1240-bldtbxh-nq11')).toBe(true);
    expect(has('29-NQ/TW', 'ctr-568-bcsd-nq29')).toBe(true);
    const texts = new Map(docs.map((d) => [d.meta.id, d.text]));
    for (const e of lineage.edges) expect(texts.get(e.evidenceDocId)!.includes(e.evidence), `${e.from}→${e.to}`).toBe(true);
  });

  it('resolves loose references to the document and its implementers', () => {
    const nq42 = ['ctrhd-chinh-phu-nq42', 'kh-bac-ninh-sldtbxh-nq42', 'kh-bo-chinh-tri-nq42'];
    for (const ref of ['Nghị quyết 42', 'NQ 42', '42-NQ/TW', 'Resolution 42', 'nghi quyet so 42']) {
      expect(resolveDocRef(ref, metas, lineage).docIds.sort(), ref).toEqual(nq42);
    }
    expect(resolveDocRef('QĐ 1240', metas, lineage).docIds).toEqual(['qd-1240-bldtbxh-nq11']);
    expect(resolveDocRef('kế hoạch 246', metas, lineage).docIds).toEqual(['kh-bac-ninh-sldtbxh-nq42']);
    expect(resolveDocRef('NQ 11', metas, lineage).docIds).toEqual(['qd-1240-bldtbxh-nq11']);
    const bare = resolveDocRef('42', metas, lineage);
    expect(bare).toMatchObject({ matched: '42-NQ/TW', ambiguous: true, alternatives: ['42-KL/TU'] });
    expect(resolveDocRef('Kết luận 42', metas, lineage)).toMatchObject({ matched: '42-KL/TU', docIds: [] });
    expect(resolveDocRef('NQ 999', metas, lineage).docIds).toEqual([]);
  });
});
