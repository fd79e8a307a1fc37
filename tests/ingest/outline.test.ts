// Outline parser and metadata on every corpus document.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunkDocument, paragraphs } from '../../src/ingest/chunk.ts';
import { extractMetadata, inferIdentities } from '../../src/ingest/metadata.ts';
import { normalizeDocNumber } from '../../src/doc/numbers.ts';
import { normalizeForMatch } from '../../src/text/normalize.ts';
import { parseOutline } from '../../src/ingest/outline.ts';

const files = readdirSync('corpus').filter((f) => f.endsWith('.txt')).sort();
const docs = files.map((f) => {
  const text = readFileSync(`corpus/${f}`, 'utf8');
  const sections = parseOutline(text);
  return { meta: extractMetadata({ id: f.replace(/\.txt$/, ''), file: `corpus/${f}`, text, sections }), text, sections };
});
inferIdentities(docs);
const doc = (prefix: string) => docs.find((d) => d.meta.id.startsWith(prefix))!;
const paths = (prefix: string) => doc(prefix).sections.filter((s) => s.kind !== 'bullet').map((s) => s.path);

describe('outline', () => {
  it('Government programme: III.3 has points a)–đ) in order, đ after d', () => {
    const s = doc('ctrhd').sections.find((x) => x.path === 'III.3')!;
    expect(s.children).toEqual(['III.3.a', 'III.3.b', 'III.3.c', 'III.3.d', 'III.3.đ']);
    const d = doc('ctrhd');
    const dd = d.sections.find((x) => x.path === 'III.3.d')!;
    expect(d.text.slice(dd.start, dd.end)).toContain('trước ngày 15 tháng 12');
  });

  it('QĐ 1240: articles, the attached plan keeps its own numbering (II then IV), appendices with table rows', () => {
    const p = paths('qd-1240');
    expect(p).toEqual(expect.arrayContaining(['Điều 1', 'Điều 2', 'Điều 3', 'I', 'II', 'IV', 'Phụ lục I', 'Phụ lục II', 'Phụ lục II/STT 8', 'Phụ lục I/TT 1']));
    expect(p).not.toContain('III');
    const row = doc('qd-1240').sections.find((s) => s.path === 'Phụ lục II/STT 8')!;
    expect(row.cells?.[2]).toBe('Cục Trẻ em');
    expect(row.header?.[0]).toBe('STT');
    // STT 7 follows a repeated header row (page break) and stays in the same table.
    expect(p).toContain('Phụ lục II/STT 7');
    expect(p.filter((x) => /^Phụ lục II\/Bảng/.test(x))).toHaveLength(1);
  });

  it('Politburo plan uses `I-` style parts and items under IV', () => {
    const p = paths('kh-bo-chinh-tri');
    expect(p).toEqual(expect.arrayContaining(['I', 'II', 'III', 'IV', 'V', 'IV.1', 'IV.6', 'V.3']));
    expect(doc('kh-bo-chinh-tri').sections.find((s) => s.path === 'IV.4')!.heading).toBe('Ban Kinh tế Trung ương');
  });

  it('Bắc Ninh plan: sub-items 4.1, 5.3 under their items; the repeated "1." is body text', () => {
    const p = paths('kh-bac-ninh');
    expect(p).toEqual(expect.arrayContaining(['III.4.1', 'III.4.2', 'III.5.3', 'IV.3']));
    expect(new Set(p).size).toBe(p.length);
  });

  it('CTr 568: parts and items; recipients and signature are separate, non-content sections', () => {
    const d = doc('ctr-568');
    const kinds = d.sections.map((s) => s.kind);
    expect(kinds).toContain('recipients');
    expect(kinds).toContain('signature');
    const rec = d.sections.find((s) => s.kind === 'recipients')!;
    expect(d.text.slice(rec.start, rec.end)).toContain('Lưu VT');
  });

  it('every section has sane offsets on every document', () => {
    for (const d of docs) {
      for (const s of d.sections) {
        expect(s.start).toBeGreaterThanOrEqual(0);
        expect(s.end).toBeLessThanOrEqual(d.text.length);
        expect(s.end).toBeGreaterThan(s.start);
      }
    }
  });
});

describe('metadata', () => {
  it('numbers from Số: lines, tolerating OCR spacing; blank numbers are null', () => {
    expect(normalizeDocNumber('1240 QĐ-LĐT BXH')).toBe('1240/QĐ-LĐTBXH');
    expect(normalizeDocNumber('568 -CTr/BCSD')).toBe('568-CTr/BCSD');
    expect(normalizeDocNumber('     /KH-SLĐTBXH')).toBeNull();
    expect(doc('qd-1240').meta.number).toBe('1240/QĐ-LĐTBXH');
    expect(doc('qd-1240').meta.date).toBe('2022-12-13');
    expect(doc('kh-bac-ninh').meta.number).toBeNull();
  });

  it('identities revealed only by other documents are inferred with evidence', () => {
    const gov = doc('ctrhd').meta;
    expect(gov.number).toBe('68/NQ-CP');
    expect(gov.numberInferred?.inferred).toBe(true);
    expect(gov.numberInferred?.evidence).toContain('Nghị quyết số 68/NQ-CP ngày 09 tháng 5 năm 2024');
    expect(gov.date).toBe('2024-05-09');
    const pb = doc('kh-bo-chinh-tri').meta;
    expect(pb.number).toBe('19-KH/TW');
    expect(pb.numberInferred?.evidence).toContain('Kế hoạch số 19-KH/TW ngày 27/11/2023');
    const src = docs.find((d) => d.meta.id === pb.numberInferred!.fromDocId)!;
    expect(src.text).toContain(pb.numberInferred!.evidence);
  });

  it('signer, type, issuer and what each document implements', () => {
    expect(doc('ctr-568').meta.signer).toBe('Lê Tấn Dũng');
    expect(doc('ctr-568').meta.signerTitle).toBe('PHÓ BÍ THƯ');
    expect(doc('kh-bo-chinh-tri').meta.signer).toBe('Trương Thị Mai');
    expect(doc('kh-bac-ninh').meta.signer).toBeNull();
    expect(doc('ctrhd').meta.type).toBe('Chương trình hành động');
    expect(doc('qd-1240').meta.type).toBe('Quyết định');
    expect(doc('kh-bo-chinh-tri').meta.issuer).toBe('Bộ Chính trị');
    expect(doc('ctr-568').meta.implements).toEqual(['29-NQ/TW']);
    expect(doc('qd-1240').meta.implements).toEqual(expect.arrayContaining(['11-NQ/TW', '96/NQ-CP']));
    expect(doc('kh-bac-ninh').meta.implements).toEqual(expect.arrayContaining(['68/NQ-CP', '71-CTr/TU', '246/KH-UBND']));
  });
});

describe('chunks', () => {
  const all = docs.flatMap((d) => chunkDocument(d.meta, d.text, d.sections).map((c) => ({ c, d })));
  it('every chunk is a verbatim slice and carries doc number and breadcrumb in its indexed text', () => {
    for (const { c, d } of all) {
      expect(d.text.slice(c.start, c.end)).toBe(c.text);
      expect(c.indexText).toContain(c.breadcrumb);
      if (d.meta.number) expect(c.indexText).toContain(d.meta.number);
    }
  });
  it('no chunk straddles two parts; the distribution list is indexed only as the closing, with the signature next to it', () => {
    for (const { c, d } of all) {
      const parts = d.sections.filter((s) => s.depth === 1 && s.kind !== 'footnote' && s.start < c.end && c.start < s.end);
      const closing = c.section.startsWith('Phần ký') || c.section === 'Nơi nhận';
      if (closing) expect(parts.every((s) => s.kind === 'signature' || s.kind === 'recipients'), `${c.id} ${c.section}`).toBe(true);
      else {
        expect(parts.length, `${c.id} ${c.section}`).toBeLessThanOrEqual(1);
        expect(c.text).not.toMatch(/^\s*Nơi nhận/);
      }
    }
  });
  it('table rows are kept whole with their header', () => {
    const row = all.find(({ c }) => c.section === 'Phụ lục II/STT 1')!.c;
    expect(row.indexText).toContain('Cơ quan chủ trì');
    expect(row.text).toContain('Trình Quốc hội');
  });
  it('re-joins a paragraph broken by a page break in mid-sentence', () => {
    const t = 'định kỳ tổng\n\nhợp tình hình, báo cáo.\n\nb) Tiếp';
    const ps = paragraphs(t, 0, t.length);
    expect(ps).toHaveLength(2);
    expect(normalizeForMatch(t.slice(ps[0]!.start, ps[0]!.end))).toBe('định kỳ tổng hợp tình hình, báo cáo.');
  });
});
