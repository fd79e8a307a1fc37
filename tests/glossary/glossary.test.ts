// The bilingual glossary: the shipped file validates and stays honest to the corpus; matching, language detection, back-naming.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { normalizeForMatch } from '../../src/text/normalize.ts';
import { compileGlossary, DEFAULT_GLOSSARY_PATH, detectLanguage, expandQuery, glossaryAliases, loadGlossary, viPhrasesToEnglish } from '../../src/text/glossary.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.join(ROOT, 'corpus');
const LAWS = path.join(ROOT, 'tests/fixtures/laws');

/**
 * Vietnamese phrases allowed in the glossary although the five shipped documents and the fixture laws do
 * not contain them, each with the reason. Everything else must occur in at least one of those documents.
 */
const NOT_IN_CORPUS: Record<string, string> = {
  'số hiệu': 'the usual word for "document number"; the documents only print "Số:"',
  'thay mặt': 'spelled-out form of "T/M" in signature blocks',
  'ký thay': 'spelled-out form of "KT." in signature blocks',
};

const g = loadGlossary();
const n = normalizeForMatch;
const viOf = (q: string) => expandQuery(g, q).vi.map(n);
/** Expected phrases in matching form (normalizeForMatch also moves tone marks: hoạch → họach). */
const has = (...phrases: string[]) => expect.arrayContaining(phrases.map(n));

describe('loadGlossary', () => {
  it('loads the shipped file from the default path with a few hundred entries', () => {
    const own = loadGlossary(DEFAULT_GLOSSARY_PATH, null);
    expect(own.source).toBe(DEFAULT_GLOSSARY_PATH);
    expect(own.entries.length).toBeGreaterThanOrEqual(300);
    // The default load adds the lexicon's entries after the glossary's.
    expect(g.entries.slice(0, own.entries.length)).toEqual(own.entries);
    expect(g.entries.slice(own.entries.length).every((e) => e.kind === 'term')).toBe(true);
    for (const e of g.entries) {
      expect(e.en.length).toBeGreaterThan(0);
      expect(e.vi.length).toBeGreaterThan(0);
    }
  });

  it('keeps every Vietnamese phrase honest: it occurs in a corpus document (or is on the documented allow-list)', () => {
    const read = (dir: string) => readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => normalizeForMatch(readFileSync(path.join(dir, f), 'utf8')));
    // The five plans, and the laws the tests ship (tests/fixtures/laws): law vocabulary comes from the laws.
    const plans = read(CORPUS);
    expect(plans.length).toBe(5);
    const docs = [...plans, ...read(LAWS)];
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const missing: string[] = [];
    const usedAllowed = new Set<string>();
    // Lexicon terms (kind `term`) come from the headings of all 213 documents: scripts/lexicon-terms.ts --check.
    for (const e of g.entries.filter((x) => x.kind !== 'term')) {
      for (const v of e.vi) {
        const n = normalizeForMatch(v);
        const re = new RegExp(`(?<![\\p{L}0-9])${esc(n)}(?![\\p{L}0-9])`, 'u');
        if (docs.some((d) => re.test(d))) continue;
        if (n in NOT_IN_CORPUS) usedAllowed.add(n);
        else missing.push(`${v} (entry "${e.en[0]}")`);
      }
    }
    expect(missing).toEqual([]);
    // The allow-list must not rot: every exception is still used by some entry.
    expect([...usedAllowed].sort()).toEqual(Object.keys(NOT_IN_CORPUS).sort());
  });

  it('covers the policy vocabulary, agencies and document parts of the corpus', () => {
    const expectations: Array<[string, string]> = [
      ['social insurance', 'bảo hiểm xã hội'],
      ['health insurance', 'bảo hiểm y tế'],
      ['unemployment insurance', 'bảo hiểm thất nghiệp'],
      ['poverty reduction', 'giảm nghèo'],
      ['vocational training', 'đào tạo nghề'],
      ['labour market', 'thị trường lao động'],
      ['people with meritorious services', 'người có công với cách mạng'],
      ['gender equality', 'bình đẳng giới'],
      ['drug rehabilitation', 'cai nghiện ma túy'],
      ['social housing', 'nhà ở xã hội'],
      ['clean water', 'nước sạch'],
      ['Politburo', 'bộ chính trị'],
      ['Secretariat', 'ban bí thư'],
      ['Provincial Party Standing Committee', 'ban thường vụ tỉnh ủy'],
      ['Ministry of Information and Communications', 'bộ thông tin và truyền thông'],
      ['Ministry of Planning and Investment', 'bộ kế hoạch và đầu tư'],
      ['General Department of Vocational Education', 'tổng cục giáo dục nghề nghiệp'],
      ['Department of Children', 'cục trẻ em'],
      ['appendix', 'phụ lục'],
      ['decision', 'quyết định'],
      ['action programme', 'chương trình hành động'],
      ['northern midlands and mountainous region', 'vùng trung du và miền núi bắc bộ'],
      ['social security number', 'mã số an sinh xã hội'],
      ['Deputy Secretary', 'phó bí thư'],
    ];
    for (const [en, vi] of expectations) expect(viOf(`What about ${en}?`), en).toContain(n(vi));
  });

  it('rejects a bad file with a message naming the entry', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'glossary-'));
    const write = (name: string, body: string) => {
      const p = path.join(dir, name);
      writeFileSync(p, body);
      return p;
    };
    const noVi = write('no-vi.json', JSON.stringify([{ en: ['plan'], vi: ['kế hoạch'] }, { en: ['appendix'], vi: [] }]));
    expect(() => loadGlossary(noVi)).toThrow(AppError);
    expect(() => loadGlossary(noVi)).toThrow(/entry 1 \("appendix"\): vi: needs at least one Vietnamese phrase/);

    const unknownKey = write('extra.json', JSON.stringify([{ en: ['plan'], vi: ['kế hoạch'], viet: 'x' }]));
    expect(() => loadGlossary(unknownKey)).toThrow(/entry 0 \("plan"\)/);

    const dup = write('dup.json', JSON.stringify([{ en: ['Labour market'], vi: ['thị trường lao động'] }, { en: ['labor market'], vi: ['lao động'] }]));
    expect(() => loadGlossary(dup)).toThrow(/entry 1 \("labor market"\): English term "labor market" is also in entry 0/);

    expect(() => loadGlossary(write('obj.json', '{"en": []}'))).toThrow(/JSON array/);
    expect(() => loadGlossary(write('broken.json', '[{'))).toThrow(/cannot read or parse JSON/);
    expect(() => loadGlossary(path.join(dir, 'absent.json'))).toThrow(/cannot read/);
  });
});

describe('expandQuery', () => {
  it('maps realistic English questions to the Vietnamese phrases of the documents', () => {
    const q1 = viOf('Which ministry has to report to the Government every year on how the social policy resolution is being carried out?');
    expect(q1).toEqual(has('báo cáo', 'chính phủ', 'hằng năm', 'hàng năm', 'chính sách xã hội', 'nghị quyết', 'thực hiện'));

    const q2 = viOf('Who drafts the revised Law on Employment and to which body is it submitted?');
    expect(q2).toEqual(has('xây dựng', 'luật việc làm', 'trình'));

    const q3 = viOf("What does the Bac Ninh DOLISA plan say about voluntary social insurance for informal workers?");
    expect(q3).toEqual(has('bắc ninh', 'sở lao động - thương binh và xã hội', 'kế hoạch', 'bảo hiểm xã hội tự nguyện', 'khu vực phi chính thức'));

    const q4 = viOf('In Annex II, which unit is the lead agency for the scheme on children with disabilities, and who are the partners?');
    expect(q4).toEqual(has('phụ lục ii', 'đơn vị', 'cơ quan chủ trì', 'đề án', 'trẻ em khuyết tật', 'cơ quan phối hợp'));

    const q5 = viOf('When must provincial party committees finish issuing their programmes of action — by the first quarter of 2024?');
    expect(q5).toEqual(has('tỉnh ủy', 'hoàn thành', 'ban hành', 'chương trình hành động', 'quý i/2024'));

    const q6 = viOf('Who signed the Politburo implementation plan, on behalf of which body?');
    expect(q6).toEqual(has('ký', 'bộ chính trị', 'kế hoạch thực hiện', 't/m'));

    const q7 = viOf('How many doctors per 10,000 people and hospital beds are targeted, and what life expectancy?');
    expect(q7).toEqual(has('bác sỹ', 'vạn dân', 'giường bệnh', 'tuổi thọ trung bình'));

    // Laws say "khám sức khỏe" (56 times in 17 of the 208 laws) more than "kiểm tra sức khỏe" (24).
    const q8 = viOf('How often must employers organise periodic health checks?');
    expect(q8).toEqual(has('khám sức khỏe', 'khám sức khỏe định kỳ', 'kiểm tra sức khỏe'));
    // And "cơ sở giáo dục" (895 times) where a plan says "trường học" (37 times in the laws).
    expect(viOf('By when must schools be accessible to people with disabilities?')).toEqual(has('trường học', 'cơ sở giáo dục'));
  });

  it('says which matched terms the question spells as written (or as the plural): a shared stem is weaker', () => {
    const small = compileGlossary([
      { en: ['ageing', 'population ageing'], vi: ['già hóa dân số'], kind: 'policy' },
      { en: ['school'], vi: ['trường học'], kind: 'policy' },
      { en: ['agency'], vi: ['cơ quan'], kind: 'agency' },
      { en: ['health check'], vi: ['khám sức khỏe'], kind: 'policy' },
    ]);
    const r = expandQuery(small, 'Which agencies give health checks at schools to people of 100 years of age?');
    expect(r.matched.map((m) => [m.en, m.asWritten])).toEqual([
      ['agency', true],
      ['health check', true],
      ['school', true],
      ['ageing', false],
    ]);
    expect(expandQuery(small, 'Is population ageing addressed?').matched.map((m) => m.asWritten)).toEqual([true]);
  });

  it('returns the matched terms with their phrases, in question order and without duplicates', () => {
    const r = expandQuery(g, 'Hanoi: MOLISA issued the decision; MOLISA reports.');
    expect(r.matched.map((m) => m.en)).toEqual(['Hanoi', 'MOLISA', 'issued', 'decision', 'reports']);
    expect(r.matched[0]!.vi).toEqual(['Hà Nội']);
    expect(new Set(r.vi.map(normalizeForMatch)).size).toBe(r.vi.length);
  });

  it('matches plural and verb forms', () => {
    for (const q of ['Who reports?', 'It was reported by the Office.', 'the reporting unit', 'the report']) expect(viOf(q), q).toContain(n('báo cáo'));
    for (const q of ['who coordinates', 'coordinating agencies', 'in coordination with', 'Which units coordinated?']) expect(viOf(q), q).toContain('phối hợp');
    for (const q of ['Which agencies are involved?', 'the agency']) expect(viOf(q), q).toContain('cơ quan');
    for (const q of ['who issues it', 'was issued', 'issuing the plan']) expect(viOf(q), q).toContain('ban hành');
    for (const q of ['Which ministries?', 'the ministry']) expect(viOf(q), q).toContain('bộ');
    for (const q of ['Who led the drafting?', 'Who leads?', 'which body presides']) expect(viOf(q), q).toContain('chủ trì');
    expect(viOf('the elderly and orphans')).toEqual(has('người cao tuổi', 'trẻ em mồ côi'));
  });

  it('lets the longest match win', () => {
    const si = expandQuery(g, 'Who is responsible for social insurance?');
    expect(si.matched.map((m) => m.en)).toContain('social insurance');
    expect(si.matched.map((m) => m.en)).not.toContain('insurance');
    expect(si.vi).not.toContain('bảo hiểm');

    const vsi = viOf('voluntary social insurance');
    expect(vsi).toEqual([n('bảo hiểm xã hội tự nguyện')]);

    const ppc = expandQuery(g, "the Provincial People's Committee's plan").matched.map((m) => m.en);
    expect(ppc[0]).toBe("Provincial People's Committee");
    expect(ppc).not.toContain("People's Committee");

    // "planning" is its own term (quy hoạch); "planned" is a form of "plan" (kế hoạch).
    expect(viOf('the planning of vocational institutions')).toContain(n('quy hoạch'));
    expect(viOf('what is planned')).toContain(n('kế hoạch'));
    expect(viOf('what is planned')).not.toContain(n('quy hoạch'));
  });

  it('treats hyphens, spaces, possessives, case and British/American spelling alike', () => {
    expect(viOf('health-insurance coverage')).toContain('bao phủ bảo hiểm y tế');
    expect(viOf('HEALTH INSURANCE COVERAGE')).toContain('bao phủ bảo hiểm y tế');
    expect(viOf('labour market')).toEqual(viOf('labor market'));
    expect(viOf('action programme')).toEqual(viOf('action program'));
    expect(viOf("MOLISA's plan")).toContain('bộ lao động - thương binh và xã hội');
    expect(viOf('the city of Ha Noi')).toContain('hà nội');
    expect(viOf('Hanoi')).toEqual(['hà nội']);
  });

  it('matches on word boundaries only', () => {
    // "plan" is inside "planet"/"explanation"; "unit" inside "community"/"opportunity".
    expect(viOf('the planet needs an explanation')).not.toContain(n('kế hoạch'));
    expect(viOf('opportunity')).not.toContain('đơn vị');
  });

  it('adds nothing to Vietnamese questions except acronyms', () => {
    expect(expandQuery(g, 'Kế hoạch 1240 do đơn vị nào chủ trì?').vi).toEqual([]);
    expect(expandQuery(g, 'bac ninh co bao nhieu co so an sinh xa hoi').vi).toEqual([]);
    expect(viOf('ke hoach cua MOLISA ve giam ngheo')).toEqual(['bộ lao động - thương binh và xã hội', 'lđtbxh']);
  });
});

describe('detectLanguage', () => {
  const cases: Array<[string, 'vi' | 'en']> = [
    ['Đơn vị nào chủ trì xây dựng Luật Việc làm (sửa đổi)?', 'vi'],
    ['Kế hoạch của Bộ Chính trị do ai ký?', 'vi'],
    ['Tỷ lệ hộ nghèo của tỉnh đến năm 2025 là bao nhiêu?', 'vi'],
    ['Nghị quyết 42 giao nhiệm vụ gì cho Ban Kinh tế Trung ương?', 'vi'],
    ['ke hoach 1240 do don vi nao chu tri', 'vi'],
    ['chuong trinh hanh dong cua chinh phu giao nhiem vu gi cho bo thong tin va truyen thong', 'vi'],
    ['bac ninh dat bao nhieu giuong benh tren van dan', 'vi'],
    ['so sanh chi tieu lao dong qua dao tao cua hai ke hoach', 'vi'],
    ['mat tran to quoc phai hoan thanh ke hoach tuyen truyen khi nao', 'vi'],
    ['ai ky quyet dinh 1240', 'vi'],
    ['NQ 42-NQ/TW', 'vi'],
    ['Which unit leads the drafting of the Employment Law?', 'en'],
    ['Who signed the plan?', 'en'],
    ['What is the poverty rate target for 2025?', 'en'],
    ['How many hospital beds does Bac Ninh plan per 10,000 people?', 'en'],
    ['Under Decision 1240/QĐ-LĐTBXH, who reports to MOLISA and by when?', 'en'],
    ['What does the Bộ Chính trị plan require from the Ban Kinh tế Trung ương?', 'en'],
    ['What does "Đền ơn đáp nghĩa" mean in the Bac Ninh plan?', 'en'],
    ['Bac Ninh social protection facilities by 2030', 'en'],
    ['social insurance', 'en'],
    ['deadline?', 'en'],
  ];
  it.each(cases)('%s → %s', (q, lang) => {
    expect(detectLanguage(q)).toBe(lang);
  });
});

describe('viPhrasesToEnglish', () => {
  it('names the agencies and policies of a Vietnamese passage in English, as written and in order', () => {
    const text =
      'Bộ Thông tin và Truyền thông chỉ đạo các cơ quan báo chí, hệ thống thông tin cơ sở phối hợp với các bộ, ngành; Vụ Kế hoạch – Tài chính tổng hợp, BÁO CÁO Bộ trưởng về bảo hiểm xã hội tự nguyện.';
    const found = viPhrasesToEnglish(g, text);
    const en = found.map((f) => f.en);
    expect(en.slice(0, 2)).toEqual(['Ministry of Information and Communications', 'direct']);
    expect(en).toEqual(
      expect.arrayContaining(['press agencies', 'grassroots information system', 'Planning and Finance Department', 'report', 'voluntary social insurance']),
    );
    expect(en).not.toContain('social insurance');
    // The Vietnamese side is quoted from the text as written (en dash, capitals kept).
    expect(found.find((f) => f.en === 'Planning and Finance Department')?.vi).toBe('Vụ Kế hoạch – Tài chính');
    expect(found.find((f) => f.en === 'report')?.vi).toBe('BÁO CÁO');
    for (const f of found) expect(text).toContain(f.vi);
  });

  it('filters by kind and ignores tone placement and decomposed input', () => {
    const text = 'Uỷ ban nhân dân tỉnh chủ trì; hiện đại hoá'.normalize('NFD');
    const agencies = viPhrasesToEnglish(g, text, { kinds: ['agency'] });
    expect(agencies.map((a) => a.en)).toEqual(["Provincial People's Committee"]);
    expect(viPhrasesToEnglish(g, text).map((a) => a.en)).toContain('modernization');
  });

  it('does not match inside longer words', () => {
    const inline = compileGlossary([{ en: ['poverty reduction'], vi: ['giảm nghèo'] }]);
    expect(viPhrasesToEnglish(inline, 'giảm nghèonhất')).toEqual([]);
    expect(viPhrasesToEnglish(inline, '(giảm nghèo)')).toEqual([{ vi: 'giảm nghèo', en: 'poverty reduction' }]);
  });
});

describe('glossaryAliases', () => {
  it('flattens every English term against every Vietnamese phrase of its entry', () => {
    const aliases = glossaryAliases(g);
    expect(aliases).toContainEqual({ term: 'Politburo', target: 'Bộ Chính trị' });
    expect(aliases).toContainEqual({ term: 'labor market', target: 'thị trường lao động' });
    const expected = g.entries.reduce((n, e) => n + new Set(e.en).size * new Set(e.vi).size, 0);
    expect(aliases.length).toBe(expected);
    const inline = compileGlossary([{ en: ['a b', 'a-c'], vi: ['x', 'y'] }]);
    expect(glossaryAliases(inline)).toEqual([
      { term: 'a b', target: 'x' },
      { term: 'a b', target: 'y' },
      { term: 'a-c', target: 'x' },
      { term: 'a-c', target: 'y' },
    ]);
  });
});
