// A scripted Engine over real corpus text for route tests: documents, sections and quotes are verbatim slices of corpus/ files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AskOptions, AskResult, Citation, DocMeta, Engine, Obligation, ObligationFilter, Passage, SearchOptions, Section } from '../../src/doc/types.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../corpus');

/** The reporting sentence of the Government programme (68/NQ-CP §III.3.d). */
export const REPORT_QUOTE = 'gửi Bộ Lao động - Thương binh và Xã hội trước ngày 15 tháng 12 để tổng hợp, báo cáo Chính phủ';

interface FakeDoc {
  meta: DocMeta;
  text: string;
  sections: Section[];
}

function meta(id: string, number: string | null, title: string, type: string): DocMeta {
  return {
    id,
    file: `corpus/${id}.txt`,
    type,
    number,
    numberRaw: number,
    numberInferred: null,
    date: null,
    dateRaw: null,
    dateInferred: null,
    issuer: null,
    signer: null,
    signerTitle: null,
    title,
    summary: null,
    implements: ['42-NQ/TW'],
    cites: ['42-NQ/TW'],
  };
}

/** A section whose offsets are found in the real text, so a quote sliced from it is verbatim. */
function sectionAt(text: string, pathName: string, kind: Section['kind'], label: string, startsWith: string, parent: string | null, depth: number): Section {
  const start = text.indexOf(startsWith);
  if (start < 0) throw new Error(`fixture: "${startsWith.slice(0, 40)}" not in the corpus text`);
  const lineEnd = text.indexOf('\n', start);
  const end = lineEnd < 0 ? text.length : lineEnd;
  return { path: pathName, kind, label, heading: text.slice(start, end).replace(/^\S+\s/, '').slice(0, 80), start, end, depth, parent, children: [] };
}

function loadDocs(): Map<string, FakeDoc> {
  const gov = readFileSync(path.join(CORPUS, 'ctrhd-chinh-phu-nq42.txt'), 'utf8');
  const govSections = [
    sectionAt(gov, 'III', 'part', 'III', 'III. TỔ CHỨC THỰC HIỆN', null, 1),
    sectionAt(gov, 'III.3', 'item', '3', '3. Bộ trưởng, Thủ trưởng cơ quan ngang bộ', 'III', 2),
    sectionAt(gov, 'III.3.d', 'point', 'd', 'd) Thường xuyên theo dõi, kiểm tra, giám sát tiến độ', 'III.3', 3),
  ];
  const bn = readFileSync(path.join(CORPUS, 'kh-bac-ninh-sldtbxh-nq42.txt'), 'utf8');
  // A path with a slash, as table rows have (`Phụ lục II/STT 8`): it must survive URL encoding.
  const bnSections = [sectionAt(bn, 'Phụ lục/STT 1', 'row', 'STT 1', 'Tham mưu cho Ủy ban nhân dân tỉnh báo cáo Ban Thường vụ Tỉnh ủy', null, 1)];
  return new Map([
    ['ctrhd-chinh-phu-nq42', { meta: meta('ctrhd-chinh-phu-nq42', '68/NQ-CP', 'Chương trình hành động của Chính phủ thực hiện Nghị quyết 42-NQ/TW', 'Chương trình hành động'), text: gov, sections: govSections }],
    ['kh-bac-ninh-sldtbxh-nq42', { meta: meta('kh-bac-ninh-sldtbxh-nq42', null, 'Kế hoạch của Sở LĐTBXH Bắc Ninh', 'Kế hoạch'), text: bn, sections: bnSections }],
  ]);
}

export interface FakeEngine extends Engine {
  /** Every ask call with its options, for assertions. */
  calls: Array<{ question: string; opts: AskOptions }>;
  obligationCalls: ObligationFilter[];
  searchCalls: Array<{ query: string; k: number; opts: SearchOptions }>;
  /** When set, ask waits for this promise before answering (to hold a request in flight). */
  gate?: Promise<void>;
  /** When set, ask and search throw this. */
  failWith?: unknown;
  /** Label echoed in answers, to tell two engines apart. */
  label: string;
}

/**
 * Builds a fake engine. Its answer to any question cites 68/NQ-CP §III.3.d with a verbatim quote and streams
 * the answer in three tokens, as an LLM answer would.
 */
export function createFakeEngine(label = 'A'): FakeEngine {
  const docs = loadDocs();
  const gov = docs.get('ctrhd-chinh-phu-nq42')!;
  const d = gov.sections.find((s) => s.path === 'III.3.d')!;
  const citation: Citation = {
    n: 1,
    docId: gov.meta.id,
    docNumber: gov.meta.number,
    docTitle: gov.meta.title,
    section: d.path,
    quote: REPORT_QUOTE,
    file: gov.meta.file,
  };
  if (!gov.text.slice(d.start, d.end).includes(REPORT_QUOTE)) throw new Error('fixture quote is not in §III.3.d');
  const passages: Passage[] = [{ docId: gov.meta.id, docNumber: gov.meta.number, section: d.path, text: gov.text.slice(d.start, d.end), score: 1 }];
  const obligations: Obligation[] = [
    {
      id: 'ctrhd-chinh-phu-nq42#III.3.d#1',
      docId: gov.meta.id,
      docNumber: gov.meta.number,
      section: d.path,
      text: gov.text.slice(d.start, d.end),
      kind: 'report',
      lead: ['Bộ, cơ quan ngang bộ'],
      partners: [],
      recipient: 'Bộ Lao động - Thương binh và Xã hội',
      via: null,
      deadline: { raw: 'trước ngày 15 tháng 12', type: 'annual', month: 12, day: 15 },
      approval: null,
      evidence: REPORT_QUOTE,
    },
  ];

  const engine: FakeEngine = {
    label,
    calls: [],
    obligationCalls: [],
    searchCalls: [],
    async ask(question, opts = {}) {
      engine.calls.push({ question, opts });
      if (engine.gate) await engine.gate;
      if (engine.failWith) throw engine.failWith;
      const answer = `[${label}] Bộ Lao động - Thương binh và Xã hội nhận báo cáo trước ngày 15 tháng 12 hằng năm [1]`;
      const parts = [answer.slice(0, 10), answer.slice(10, 40), answer.slice(40)];
      for (const p of parts) opts.onToken?.(p);
      const r: AskResult = { question, language: /[ăâđêôơư]/i.test(question) ? 'vi' : 'en', refused: false, answer, citations: [citation], passages, mode: opts.mode ?? 'extractive' };
      return r;
    },
    async search(query, k = 10, opts = {}) {
      engine.searchCalls.push({ query, k, opts });
      if (engine.failWith) throw engine.failWith;
      void query;
      return passages.slice(0, k);
    },
    documents: () => [...docs.values()].map((x) => x.meta),
    document(id) {
      const x = docs.get(id);
      return x ? { meta: x.meta, outline: x.sections, text: x.text, lineage: { implements: x.meta.implements, implementedBy: [] } } : null;
    },
    section(id, p) {
      const x = docs.get(id);
      const s = x?.sections.find((y) => y.path === p);
      return x && s ? { meta: x.meta, section: s, text: x.text.slice(s.start, s.end) } : null;
    },
    obligations(filter = {}) {
      engine.obligationCalls.push(filter);
      return obligations.filter((o) => !filter.kind || o.kind === filter.kind);
    },
    info: () => ({ documents: docs.size, chunks: 3, embedder: 'fake', dim: 8, builtAt: '2024-05-09T00:00:00.000Z', formatVersion: 3 }),
  };
  return engine;
}

/** Parses a server-sent event stream body into `{ event, data }` records. */
export function parseSse(body: string): Array<{ event: string; data: string }> {
  return body
    .split(/\r?\n\r?\n/)
    .filter((b) => b.trim())
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      return { event, data: data.join('\n') };
    });
}
