// Bot formatting: citation tags and links, per-flavor markup, and trimming that never cuts a citation.
import { describe, expect, it } from 'vitest';
import { citationTag, citationUrl, HELP_TEXT, renderReply, type Flavor } from '../../src/bots/format.ts';
import { CITATIONS, longAnswer, reportingAnswer } from './helpers.ts';

const URL_BASE = 'https://plancite.example';
const MARK = '\n… (đã rút gọn)';

describe('citation tags', () => {
  it('uses the document number and section, or the title when the number is unknown', () => {
    expect(citationTag(CITATIONS.government)).toBe('[68/NQ-CP §III.3.d]');
    expect(citationTag(CITATIONS.bacNinh)).toBe('[Kế hoạch của Sở LĐTBXH Bắc Ninh §IV.3]');
    expect(citationTag({ ...CITATIONS.government, section: 'header' })).toBe('[68/NQ-CP]');
    expect(citationTag({ ...CITATIONS.government, section: 'Phụ lục II/STT 8' })).toBe('[68/NQ-CP §Phụ lục II/STT 8]');
    // A long title (the Bắc Ninh plan's real one) is cut at a word to keep the tag short.
    const longTitle = 'Kế hoạch thực hiện Chương trình hành động của Chính phủ ban hành kèm theo Nghị quyết số 68/NQ-CP ngày 09 tháng 5 năm 2024';
    expect(citationTag({ docNumber: null, docTitle: longTitle, section: 'IV.3' })).toBe('[Kế hoạch thực hiện Chương trình hành động của… §IV.3]');
  });

  it('links to the viewer with the section as an encoded fragment', () => {
    expect(citationUrl(`${URL_BASE}/`, CITATIONS.government)).toBe(`${URL_BASE}/documents/ctrhd-chinh-phu-nq42#III.3.d`);
    expect(citationUrl(URL_BASE, { docId: 'qd (1240)', section: 'Phụ lục II/STT 8' })).toBe(`${URL_BASE}/documents/qd%20%281240%29#Ph%E1%BB%A5%20l%E1%BB%A5c%20II%2FSTT%208`);
  });
});

describe('renderReply', () => {
  const answer = (over: Partial<ReturnType<typeof reportingAnswer>> = {}) => ({ kind: 'answer' as const, result: { ...reportingAnswer('q'), ...over } });

  it('renders each flavor’s link syntax', () => {
    const r = answer({ answer: 'A [1]', citations: [CITATIONS.government] });
    const link = `${URL_BASE}/documents/ctrhd-chinh-phu-nq42#III.3.d`;
    const out = (flavor: Flavor) => renderReply(r, { flavor, maxChars: 4096, publicUrl: URL_BASE });
    expect(out('html')).toBe(`A <a href="${link}">[68/NQ-CP §III.3.d]</a>`);
    expect(out('slack')).toBe(`A <${link}|[68/NQ-CP §III.3.d]>`);
    expect(out('markdown')).toBe(`A [[68/NQ-CP §III.3.d](${link})]`);
    expect(out('plain')).toBe('A [68/NQ-CP §III.3.d]');
    expect(renderReply(r, { flavor: 'plain', maxChars: 4096, publicUrl: URL_BASE, sourcesFooter: true })).toBe(`A [68/NQ-CP §III.3.d]\n\nNguồn:\n[68/NQ-CP §III.3.d] ${link}`);
  });

  it('escapes attribute quotes in Telegram links', () => {
    const r = answer({ answer: 'A [1]', citations: [{ ...CITATIONS.government, docId: 'a"b' }] });
    expect(renderReply(r, { flavor: 'html', maxChars: 4096, publicUrl: URL_BASE })).toContain('href="https://plancite.example/documents/a%22b#III.3.d"');
  });

  it('drops markers without a citation and lists citations no marker refers to', () => {
    const r = answer({ answer: 'A [1] B [9]', citations: [CITATIONS.government, CITATIONS.politburo], language: 'en' });
    expect(renderReply(r, { flavor: 'plain', maxChars: 4096 })).toBe('A [68/NQ-CP §III.3.d] B\nSources: [19-KH/TW §V.3]');
  });

  it('leaves a short answer whole', () => {
    const text = renderReply(answer(), { flavor: 'html', maxChars: 4096, publicUrl: URL_BASE });
    expect(text).not.toContain('rút gọn');
    expect(text.split('<a href=').length).toBe(4);
  });

  for (const flavor of ['html', 'slack', 'markdown', 'plain'] as const) {
    it(`${flavor}: at every limit the cut falls right after a whole citation tag`, () => {
      const reply = { kind: 'answer' as const, result: longAnswer('q') };
      const tagEnd = { html: '</a>', slack: ']>', markdown: ')]', plain: ']' }[flavor];
      for (let limit = 400; limit <= 4096; limit += 37) {
        const text = renderReply(reply, { flavor, maxChars: limit, publicUrl: URL_BASE, sourcesFooter: flavor === 'plain' });
        expect(text.length, `limit ${limit}`).toBeLessThanOrEqual(limit);
        const body = text.split('\n\nNguồn:\n')[0]!;
        expect(body.endsWith(tagEnd + MARK), `limit ${limit}: …${body.slice(-60)}`).toBe(true);
        // Tags are whole: as many openings as closings.
        if (flavor === 'html') expect(body.split('<a ').length).toBe(body.split('</a>').length);
        if (flavor === 'slack') expect(body.split('<https://').length).toBe(body.split(']>').length);
        expect(body.split('[').length).toBe(body.split(']').length);
      }
    });
  }

  it('when not even the first cited sentence fits, cuts the text at a word and never emits half a tag', () => {
    for (let limit = 100; limit < 140; limit++) {
      const text = renderReply(answer(), { flavor: 'html', maxChars: limit, publicUrl: URL_BASE });
      expect(text.length).toBeLessThanOrEqual(limit);
      expect(text).not.toContain('<a');
      expect(text.endsWith(MARK)).toBe(true);
      expect(text.startsWith('Theo Chương trình hành động')).toBe(true);
      // Cut at a word boundary: what is kept ends a whole word of the answer.
      const kept = text.slice(0, -MARK.length);
      expect(reportingAnswer('q').answer.startsWith(kept)).toBe(true);
      expect(reportingAnswer('q').answer[kept.length], `limit ${limit}`).toMatch(/\s/);
    }
  });

  it('escaping counts toward the limit', () => {
    const r = answer({ answer: `${'<&>'.repeat(60)} [1]`, citations: [CITATIONS.government] });
    const text = renderReply(r, { flavor: 'html', maxChars: 200 });
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  });

  it('renders help and errors as escaped text', () => {
    expect(renderReply({ kind: 'help' }, { flavor: 'plain', maxChars: 4096 })).toBe(HELP_TEXT);
    expect(renderReply({ kind: 'error', code: 'bad_input', message: 'a < b' }, { flavor: 'html', maxChars: 4096 })).toBe('a &lt; b');
  });
});
