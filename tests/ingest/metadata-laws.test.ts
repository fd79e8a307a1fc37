// Metadata from the headers of laws and administrative documents the code was not written for.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/ingest/load.ts';
import { applySidecar, extractMetadata } from '../../src/ingest/metadata.ts';
import { parseOutline } from '../../src/ingest/outline.ts';
import type { DocMeta } from '../../src/doc/types.ts';

async function metaOf(rel: string): Promise<DocMeta & { text: string }> {
  const { text } = await loadFile(path.resolve(rel));
  const meta = extractMetadata({ id: path.basename(rel, '.txt'), file: rel, text, sections: parseOutline(text) });
  return { ...meta, text };
}

describe('metadata of the fixture laws', () => {
  it('Labour Code: type, number, issuer, place/date, title, signer, level, effective date, replaces/amends', async () => {
    const m = await metaOf('tests/fixtures/laws/Bo-Luat-lao-dong-2019-333670.txt');
    expect(m).toMatchObject({
      type: 'Bộ luật', number: '45/2019/QH14', issuer: 'Quốc hội', place: 'Hà Nội', date: '2019-11-20',
      title: 'Bộ luật Lao động', name: 'Lao động', signer: 'Nguyễn Thị Kim Ngân', level: 'central', effectiveDate: '2021-01-01',
    });
    expect(m.signerTitle).toBe('CHỦ TỊCH QUỐC HỘI');
    expect(m.replaces).toContain('10/2012/QH13');
    expect(m.amends!.length).toBeGreaterThan(0);
    expect(m.conflicts).toEqual([]);
    expect(m.warnings).toEqual([]);
    expect(m.title).not.toMatch(/^Văn bản/u);
  });

  it.each([
    ['Luat-viec-lam-nam-2013-215628', 'Luật', '38/2013/QH13', /^Luật việc làm$/iu, '2013-11-16'],
    ['Luat-Bao-hiem-xa-hoi-2014-259700', 'Luật', '58/2014/QH13', /^Luật bảo hiểm xã hội$/iu, '2014-11-20'],
    ['Luat-nguoi-khuyet-tat-2010-108081', 'Luật', '51/2010/QH12', /^Luật người khuyết tật$/iu, '2010-06-17'],
  ])('%s: %s %s', async (file, type, number, title, date) => {
    const m = await metaOf(`tests/fixtures/laws/${file}.txt`);
    expect(m.type).toBe(type);
    expect(m.number).toBe(number);
    expect(m.title).toMatch(title);
    expect(m.date).toBe(date);
    expect(m.issuer).toBe('Quốc hội');
    expect(m.level).toBe('central');
    expect(m.signer).toMatch(/^\p{Lu}\p{Ll}+ /u);
  });
});

describe('bad and unusual headers', () => {
  it('a document with no recognisable header keeps blank metadata and a warning naming the file', async () => {
    const m = await metaOf('tests/fixtures/headers/no-header-law.txt');
    expect(m.number).toBeNull();
    expect(m.date).toBeNull();
    expect(m.issuer).toBeNull();
    expect(m.warnings).toEqual([expect.stringContaining('no-header-law.txt')]);
    // The text names itself (`Luật này quy định …`), so the type is still known.
    expect(m.type).toBe('Luật');
  });

  it('broken spacing in the number (`Số: 45 /2019/ QH14`) still parses; a closing date that differs is recorded, the header kept', async () => {
    const m = await metaOf('tests/fixtures/headers/broken-spacing-law.txt');
    expect(m.number).toBe('45/2019/QH14');
    expect(m.date).toBe('2019-11-20');
    expect(m.conflicts).toEqual([expect.objectContaining({ field: 'date', kept: '2019-11-20', other: '2019-11-22' })]);
    expect(m.effectiveDate).toBe('2020-07-01');
    expect(m.title).toBe('Luật Thử nghiệm định dạng');
  });

  it('a header in a legacy encoding (Windows-1258) parses like UTF-8', async () => {
    const m = await metaOf('tests/fixtures/headers/legacy-1258-law.txt');
    expect(m).toMatchObject({ type: 'Luật', number: '45/2019/QH14', date: '2019-11-20', issuer: 'Quốc hội', signer: 'Nguyễn Văn A' });
  });

  it('an official letter (Decree 30/2020 format): V/v subject, ministry level, signer with capacity, what it implements', async () => {
    const m = await metaOf('tests/fixtures/headers/decree-letter.txt');
    expect(m).toMatchObject({
      type: 'Công văn', number: '1234/LĐTBXH-VL', date: '2021-03-05', level: 'ministry', signer: 'Nguyễn Văn B', signerCapacity: 'KT. Bộ trưởng',
    });
    expect(m.summary).toBe('hướng dẫn thực hiện chính sách hỗ trợ việc làm');
    expect(m.issuer).toMatch(/^Bộ Lao động/u);
  });

  it('a sidecar still overrides extracted fields, new ones included', async () => {
    const m = await metaOf('tests/fixtures/laws/Luat-viec-lam-nam-2013-215628.txt');
    const out = applySidecar(m as DocMeta, { effectiveDate: '2015-01-01', number: '38/2013/QH13' });
    expect(out.effectiveDate).toBe('2015-01-01');
  });
});
