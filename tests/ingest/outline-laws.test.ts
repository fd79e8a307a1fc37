// Structure of legal texts: Phần/Chương/Mục divisions above articles, Điều/khoản/điểm paths as laws are cited.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/ingest/chunk.ts';
import { extractMetadata } from '../../src/ingest/metadata.ts';
import { parseOutline } from '../../src/ingest/outline.ts';

const labour = readFileSync('tests/fixtures/laws/Bo-Luat-lao-dong-2019-333670.txt', 'utf8');
const employment = readFileSync('tests/fixtures/laws/Luat-viec-lam-nam-2013-215628.txt', 'utf8');

describe('legal outline', () => {
  it('clauses and points get the paths law citations use (Điều 25.2, Điều 35.1.a)', () => {
    const s = parseOutline(labour);
    const at = (p: string) => s.find((x) => x.path === p)!;
    expect(labour.slice(at('Điều 25.2').start, at('Điều 25.2').end)).toContain('Không quá 60 ngày');
    expect(labour.slice(at('Điều 35.1.a').start, at('Điều 35.1.a').end)).toContain('Ít nhất 45 ngày');
    expect(at('Điều 35.1.a').parent).toBe('Điều 35.1');
  });

  it('chapters and sections are divisions; an article no longer swallows the next chapter heading', () => {
    const s = parseOutline(employment);
    const divisions = s.filter((x) => x.kind === 'division').map((x) => x.path);
    expect(divisions).toEqual(expect.arrayContaining(['Chương 1', 'Chương 2', 'Chương 2/Mục 1', 'Chương 6/Mục 3', 'Chương 7']));
    expect(s.find((x) => x.path === 'Chương 6/Mục 3')!.heading).toBe('TRỢ CẤP THẤT NGHIỆP');
    const last = s.find((x) => x.path === 'Điều 9')!;
    expect(employment.slice(last.start, last.end)).not.toMatch(/Chương 2|CHÍNH SÁCH HỖ TRỢ TẠO VIỆC LÀM/u);
    // Articles keep their own paths, and no chunk repeats a division's span.
    expect(s.some((x) => x.path === 'Điều 49')).toBe(true);
    const meta = extractMetadata({ id: 'vl', file: 'vl.txt', text: employment, sections: s });
    const chunks = chunkDocument(meta, employment, s);
    expect(chunks.some((c) => c.section.startsWith('Chương'))).toBe(false);
    expect(new Set(chunks.map((c) => `${c.start}-${c.end}`)).size).toBe(chunks.length);
  });

  it('a law stored in NFD parses like its NFC form, with offsets into the original text', () => {
    const nfd = employment.normalize('NFD');
    const a = parseOutline(employment).map((x) => x.path);
    const s = parseOutline(nfd);
    expect(s.map((x) => x.path)).toEqual(a);
    const d = s.find((x) => x.path === 'Điều 46.3')!;
    expect(nfd.slice(d.start, d.end).normalize('NFC')).toMatch(/^3\. Tổ chức bảo hiểm xã hội/u);
  });
});
