// The file loader on real files: fixtures made by real tools, the shipped corpus, and bad input of every kind.
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEntities, decodeTcvn3, encodeTcvn3, hasPdftotext, htmlToText, listCorpusFiles, LoadError, loadFile, vietnameseScore, type LoadErrorCode, type LoadOptions } from '../../src/ingest/load.ts';
import { isVietnameseSyllable } from '../../src/text/syllables.ts';
import { LEGACY_TEXT, PLAN } from '../fixtures/make-fixtures.ts';

const FIXTURES = path.resolve('tests/fixtures');
const fx = (name: string) => path.join(FIXTURES, name);
const CORPUS_FILES = ['ctr-568-bcsd-nq29.txt', 'kh-bac-ninh-sldtbxh-nq42.txt', 'ctrhd-chinh-phu-nq42.txt', 'qd-1240-bldtbxh-nq11.txt', 'kh-bo-chinh-tri-nq42.txt'];
const POPPLER = await hasPdftotext();
/** Both PDF extractors always get their cases; the pdftotext ones are reported skipped when Poppler is missing. */
const EXTRACTORS = ['pdftotext', 'unpdf'] as const;
/** Skips a pdftotext case on a machine without Poppler (reported as skipped, never silently left out). */
const runs = (ex: (typeof EXTRACTORS)[number]) => ex === 'unpdf' || POPPLER;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'plancite-load-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Writes `data` to a temp file and returns its path. */
async function tmpFile(name: string, data: Buffer | string): Promise<string> {
  const p = path.join(tmp, name);
  await writeFile(p, data);
  return p;
}

/** Asserts that loading `file` fails with `code`, a message naming the file, and returns the error. */
async function expectLoadError(file: string, code: LoadErrorCode, options?: LoadOptions): Promise<LoadError> {
  const err = await loadFile(file, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LoadError);
  const le = err as LoadError;
  expect(le.code).toBe(code);
  expect(le.file).toBe(file);
  expect(le.name).toBe('LoadError');
  expect(le.message.startsWith(`${path.basename(file)}: `)).toBe(true);
  return le;
}

const lines = (text: string) => text.split('\n');

describe('docx (made with the docx package)', () => {
  it('keeps paragraphs as blank-line-separated blocks with diacritics intact', async () => {
    const r = await loadFile(fx('vn-plan.docx'));
    expect(r.format).toBe('docx');
    expect(r.encoding).toBeUndefined();
    expect(r.warnings).toEqual([]);
    expect(lines(r.text)).toContain(PLAN.part);
    expect(r.text).toContain(`${PLAN.part}\n\n${PLAN.item}\n\n${PLAN.pointA}\n\n${PLAN.pointB}\n\n${PLAN.dash}`);
    expect(r.text).toMatch(/^Số: 12\/KH-UBND\tBắc Ninh, ngày 15 tháng 3 năm 2024$/m);
    expect(r.text).toContain('Kế hoạch');
    expect(r.text.startsWith(PLAN.issuer)).toBe(true);
    // The bulleted list item keeps its text behind a dash, as the outline parser expects.
    expect(lines(r.text)).toContain(`- ${PLAN.bullet}`);
  });

  it('turns the table into tab-separated rows, header first, one row per line', async () => {
    const { text } = await loadFile(fx('vn-plan.docx'));
    const table = ['STT\tNhiệm vụ\tCơ quan chủ trì', '1\tRà soát, hoàn thiện chính sách trợ giúp xã hội\tSở Lao động – Thương binh và Xã hội', '2\tMở rộng bảo hiểm y tế toàn dân\tSở Y tế Bảo hiểm xã hội tỉnh'];
    expect(text).toContain(`${PLAN.part2}\n\n${table.join('\n')}\n\n${PLAN.recipients}`);
  });

  it('keeps the footnote reference and the footnote text, without the back-link arrow', async () => {
    const { text } = await loadFile(fx('vn-plan.docx'));
    expect(text).toContain(`${PLAN.subject}[1]`);
    expect(lines(text).at(-1)).toBe(`[1] ${PLAN.footnote}`);
    expect(text).not.toContain('↑');
  });
});

describe('pdf', () => {
  it.skipIf(!POPPLER)('extracts a LibreOffice-made PDF with pdftotext, accents in place', async () => {
    const r = await loadFile(fx('vn-plan-libreoffice.pdf'), { pdfExtractor: 'pdftotext' });
    expect(r.format).toBe('pdf');
    expect(r.warnings).toEqual([]);
    const ls = lines(r.text);
    for (const l of [PLAN.issuer, 'Số: 12/KH-UBND', PLAN.part, PLAN.item, PLAN.pointA, PLAN.pointB, PLAN.dash, 'Cơ quan chủ trì']) expect(ls).toContain(l);
    expect(r.text).toContain('Kế hoạch');
    expect(r.text).not.toContain('\f');
  });

  it('extracts the Chromium-made PDF with unpdf (the fallback when pdftotext is missing)', async () => {
    const r = await loadFile(fx('vn-plan-chromium.pdf'), { pdfExtractor: 'unpdf' });
    expect(r.format).toBe('pdf');
    expect(r.warnings).toEqual([]);
    const ls = lines(r.text);
    for (const l of [PLAN.issuer, 'Số: 12/KH-UBND', PLAN.part, PLAN.item, PLAN.pointA, PLAN.pointB, PLAN.dash]) expect(ls).toContain(l);
    expect(r.text).toContain('Cơ quan chủ trì');
    expect(r.text).toContain('Kế hoạch');
  });

  it('extracts the Chromium-made PDF with whichever extractor is installed', async () => {
    const r = await loadFile(fx('vn-plan-chromium.pdf'));
    expect(r.text).toContain('Cơ quan chủ trì');
    expect(r.text).toContain(PLAN.pointA);
    expect(r.text).toBe(r.text.normalize('NFC'));
    if (!POPPLER) expect(r.warnings.join(' ')).toMatch(/pdftotext \(poppler-utils\) not installed/);
    else expect(r.warnings).toEqual([]);
  });

  it('flags the garbled unpdf extraction of a LibreOffice PDF instead of passing it on silently', async () => {
    const r = await loadFile(fx('vn-plan-libreoffice.pdf'), { pdfExtractor: 'unpdf' });
    expect(r.warnings.join(' ')).toMatch(/looks garbled .*install poppler-utils/);
  });

  it.for(EXTRACTORS)('rejects an image-only PDF as no-text-layer (%s)', async (pdfExtractor, { skip }) => {
    if (!runs(pdfExtractor)) return skip('pdftotext (poppler-utils) is not installed');
    const e = await expectLoadError(fx('scanned-no-text.pdf'), 'no-text-layer', { pdfExtractor });
    expect(e.message).toBe('scanned-no-text.pdf: PDF has no text layer — run OCR first');
  });

  it.for(EXTRACTORS)('reports a file that is not a PDF as read-failed (%s)', async (pdfExtractor, { skip }) => {
    if (!runs(pdfExtractor)) return skip('pdftotext (poppler-utils) is not installed');
    const file = await tmpFile(`fake-${pdfExtractor}.pdf`, 'Kế hoạch — this is plain text, not a PDF\n');
    const e = await expectLoadError(file, 'read-failed', { pdfExtractor });
    expect(e.message).toContain(pdfExtractor);
    expect(e.cause).toBeDefined();
  });
});

describe('plain text encodings', () => {
  it('decodes Windows-1258 (combining tone marks) and returns NFC text', async () => {
    const bytes = await readFile(fx('vn-windows1258.txt'));
    // The fixture really uses 1258's combining tone marks (0xEC acute, 0xD2 dot below), not only precomposed letters.
    expect(bytes.includes(0xec) && bytes.includes(0xd2)).toBe(true);
    const r = await loadFile(fx('vn-windows1258.txt'));
    expect(r).toMatchObject({ format: 'txt', encoding: 'windows-1258' });
    expect(r.text).toBe(LEGACY_TEXT);
    expect(r.text).toBe(r.text.normalize('NFC'));
    expect(r.text).toContain('Kế hoạch thực hiện Nghị quyết số 42-NQ/TW');
    expect(r.warnings[0]).toMatch(/decoded as windows-1258/);
  });

  it('decodes TCVN3 (ABC) text', async () => {
    const r = await loadFile(fx('vn-tcvn3.txt'));
    expect(r).toMatchObject({ format: 'txt', encoding: 'tcvn3' });
    expect(r.text).toBe(LEGACY_TEXT);
    expect(r.text).toContain('“Kế hoạch này”');
    expect(r.warnings[0]).toMatch(/decoded as tcvn3/);
  });

  it('maps TCVN3 bytes as the familiar ABC-font mojibake shows them', () => {
    // How TCVN3 text looks when opened as Latin-1: a well-known sight in Vietnamese offices.
    const mojibake = Buffer.from('Céng hoµ x· héi chñ nghÜa ViÖt Nam §éc lËp - Tù do - H¹nh phóc', 'latin1');
    expect(decodeTcvn3(mojibake).normalize('NFC')).toBe('Cộng hoà xã hội chủ nghĩa Việt Nam Độc lập - Tự do - Hạnh phúc');
    expect(decodeTcvn3(encodeTcvn3('Sở Lao động – Thương binh và Xã hội, “đôn đốc”'))).toBe('Sở Lao động – Thương binh và Xã hội, “đôn đốc”');
    expect(() => encodeTcvn3('MỤC')).toThrow(/U\+1EE4/);
  });

  it('decodes UTF-16 with a BOM (LE and BE) and guesses UTF-16LE without one', async () => {
    const le = await loadFile(fx('vn-utf16le-bom.txt'));
    expect(le).toMatchObject({ encoding: 'utf-16le', text: LEGACY_TEXT, warnings: [] });

    const beBytes = Buffer.from(LEGACY_TEXT, 'utf16le').swap16();
    const be = await loadFile(await tmpFile('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), beBytes])));
    expect(be).toMatchObject({ encoding: 'utf-16be', text: LEGACY_TEXT });

    const bare = await loadFile(await tmpFile('le-nobom.txt', Buffer.from(LEGACY_TEXT, 'utf16le')));
    expect(bare).toMatchObject({ encoding: 'utf-16le', text: LEGACY_TEXT });
    expect(bare.warnings[0]).toMatch(/guessed UTF-16LE/);
  });

  it('strips a UTF-8 BOM from Markdown and keeps the rest verbatim', async () => {
    const r = await loadFile(fx('notes-bom.md'));
    expect(r).toMatchObject({ format: 'md', encoding: 'utf-8', warnings: [] });
    expect(r.text).toBe('# Ghi chú\n\n- Kế hoạch số 12/KH-UBND: **Sở Y tế** phối hợp.\n- Hạn báo cáo: 15/12 hằng năm.\n');
  });

  it('keeps UTF-8 that is not NFC exactly as written', async () => {
    const nfd = 'Kế hoạch số 12'.normalize('NFD') + '\r\n';
    const r = await loadFile(await tmpFile('nfd.txt', nfd));
    expect(r.text).toBe(nfd);
    expect(r.text).not.toBe(r.text.normalize('NFC'));
  });

  it('keeps a UTF-8 file with one damaged byte as UTF-8, with a warning', async () => {
    const good = Buffer.from('Kế hoạch số 12/KH-UBND về chính sách xã hội.\n'.repeat(20), 'utf8');
    const r = await loadFile(await tmpFile('damaged.txt', Buffer.concat([good, Buffer.from([0xff]), good])));
    expect(r.encoding).toBe('utf-8');
    expect(r.text.match(/\ufffd/g)).toHaveLength(1);
    expect(r.warnings).toEqual(['1 invalid UTF-8 byte sequence(s) replaced by U+FFFD']);
  });

  it('scores Vietnamese syllables, not look-alike mojibake', () => {
    for (const w of ['nghiêng', 'Khuyến', 'trì', 'quyết', 'Đảng', 'hoá', 'uỷ', 'giữa']) expect(isVietnameseSyllable(w), w).toBe(true);
    for (const w of ['NINHỦ', 'hoàá', 'chñ', 'ViÖt', 'kịpp']) expect(isVietnameseSyllable(w), w).toBe(false);
    expect(vietnameseScore(LEGACY_TEXT)).toBe(1);
    expect(vietnameseScore(iconv.decode(encodeTcvn3(LEGACY_TEXT), 'windows1258').normalize('NFC'))).toBeLessThan(0.6);
    expect(vietnameseScore('plain ASCII only')).toBe(0);
  });
});

describe('bad files', () => {
  it('rejects an empty file and a whitespace-only file as empty', async () => {
    await expectLoadError(fx('empty.txt'), 'empty');
    const e = await expectLoadError(await tmpFile('blank.md', ' \n\t\r\n  '), 'empty');
    expect(e.message).toMatch(/only whitespace/);
  });

  it('rejects random bytes with NULs as binary', async () => {
    const e = await expectLoadError(fx('binary.txt'), 'binary');
    expect(e.message).toBe('binary.txt: file contains NUL bytes: not a text file');
  });

  it('rejects control-character noise without NULs as binary', async () => {
    const noise = Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 0x01 + (i % 8) : 0x41 + (i % 26))));
    await expectLoadError(await tmpFile('noise.txt', noise), 'binary');
  });

  it('rejects a non-UTF-8 file that no Vietnamese encoding explains', async () => {
    const e = await expectLoadError(fx('koi8r-russian.txt'), 'encoding');
    expect(e.message).toMatch(/convert the file to UTF-8/);
  });

  it('rejects unknown extensions, missing files and broken .docx files', async () => {
    await expectLoadError(await tmpFile('plan.rtf', '{\\rtf1 Kế hoạch}'), 'unsupported');
    await expectLoadError(await tmpFile('README', 'no extension'), 'unsupported');
    const missing = await expectLoadError(path.join(tmp, 'missing.txt'), 'read-failed');
    expect(missing.message).toContain('ENOENT');
    expect((missing.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    const docx = await expectLoadError(await tmpFile('broken.docx', 'PK not really a zip'), 'read-failed');
    expect(docx.cause).toBeInstanceOf(Error);
  });
});

describe('the shipped corpus', () => {
  it.each(CORPUS_FILES)('%s loads as UTF-8, byte for byte', async (name) => {
    const file = path.resolve('corpus', name);
    const bytes = await readFile(file);
    const r = await loadFile(file);
    expect(r).toMatchObject({ format: 'txt', encoding: 'utf-8', warnings: [] });
    expect(Buffer.from(r.text, 'utf8').equals(bytes)).toBe(true);
  });

  it('leaves the non-NFC corpus file un-normalised', async () => {
    const { text } = await loadFile(path.resolve('corpus', 'kh-bac-ninh-sldtbxh-nq42.txt'));
    expect(text).not.toBe(text.normalize('NFC'));
  });
});

describe('listCorpusFiles', () => {
  it('walks folders, keeps only loadable extensions, skips dotfiles and sidecars, sorts by code point', async () => {
    const root = path.join(tmp, 'tree');
    for (const d of ['sub/deeper', '.git', '.cache']) await mkdir(path.join(root, d), { recursive: true });
    const files = ['b.txt', 'a.MD', 'Z.pdf', 'b.txt.meta.json', '.hidden.txt', 'notes.json', 'scan.png', 'sub/c.docx', 'sub/deeper/d.pdf', 'sub/deeper/e.doc', '.git/x.txt', '.cache/y.md'];
    for (const f of files) await writeFile(path.join(root, f), 'x');
    const relative = path.relative(process.cwd(), root);
    await symlink(path.join(root, 'sub/deeper'), path.join(root, 'linked'));
    await symlink(path.join(root, 'gone.txt'), path.join(root, 'dangling.txt'));
    await symlink(root, path.join(root, 'sub/loop'));
    const listed = await listCorpusFiles(relative);
    // `linked` reaches sub/deeper first (code-point order), so that folder is not listed twice; the loop is cut.
    const expected = ['Z.pdf', 'a.MD', 'b.txt', 'linked/d.pdf', 'sub/c.docx'];
    expect(listed).toEqual(expected.map((f) => path.join(root, f)));
  });

  it('lists the five corpus files', async () => {
    const listed = await listCorpusFiles('corpus');
    expect(listed.map((f) => path.basename(f))).toEqual([...CORPUS_FILES].sort());
  });

  it('reports a missing folder', async () => {
    await expect(listCorpusFiles(path.join(tmp, 'nope'))).rejects.toThrow(/ENOENT/);
  });
});

describe('htmlToText', () => {
  it('decodes entities, numbers ordered lists, keeps line breaks and nests tables inside cells', () => {
    expect(decodeEntities('K&#7871; ho&#x1EA1;ch &amp; &lt;b&gt; &quot;x&quot; &bogus;')).toBe('Kế hoạch & <b> "x" &bogus;');
    const html =
      '<h1>I. MỤC ĐÍCH</h1><ol><li>Một</li><li><p>Hai</p></li></ol><p>dòng 1<br />dòng 2</p>' +
      '<table><tr><th>STT</th><th>Ghi chú</th></tr><tr><td>1</td><td><p>a\tb</p><table><tr><td>x</td><td>y</td></tr></table></td></tr></table><p><img src="" /></p>';
    const r = htmlToText(html);
    expect(r.text).toBe('I. MỤC ĐÍCH\n\n1. Một\n\n2. Hai\n\ndòng 1\ndòng 2\n\nSTT\tGhi chú\n1\ta b x y');
    expect(r.images).toBe(1);
    expect(r.orderedLists).toBe(true);
  });
});
