// Shared data shapes of the pipeline; field names marked "contract" are read by tests and outside checks.

/** Kind of a node in a document's section tree. */
export type SectionKind =
  | 'header' // document header (issuer, number, date, title, trích yếu, preamble)
  | 'part' // I. / II- roman parts
  | 'item' // 1. numbered items
  | 'subitem' // 4.1. sub-items
  | 'point' // a) … đ) lettered points
  | 'bullet' // dash bullets (kept inside their parent for citations)
  | 'article' // Điều N.
  | 'appendix' // Phụ lục I / II
  | 'table' // a tab-separated table (header row + rows)
  | 'row' // one table row, path like `Phụ lục II/STT 8`
  | 'signature' // signature block (not content)
  | 'recipients' // Nơi nhận: distribution list (not content)
  | 'footnote'
  | 'division'; // Phần / Chương / Mục / Tiểu mục of a legal text (above its articles, which keep their own paths)

export interface Section {
  /** Stable path, e.g. `III.3.d`, `IV.4`, `Phụ lục II/STT 8`, `Điều 3`, `header`. */
  path: string;
  kind: SectionKind;
  /** The numbering label as written (`III`, `3`, `d`, `4.1`, `STT 8`). */
  label: string;
  /** Heading line text (original spelling), without the numbering label. */
  heading: string;
  /** Character offsets into the document's original text: [start, end). */
  start: number;
  end: number;
  depth: number;
  parent: string | null;
  children: string[];
  /** For table/row sections: the header cells and (rows) the cells. */
  header?: string[];
  cells?: string[];
}

/** A value the text does not state but another document reveals. */
export interface Inferred<T> {
  value: T;
  inferred: true;
  /** Verbatim passage of the citing document. */
  evidence: string;
  fromDocId: string;
}

export interface DocMeta {
  /** Stable id = file name without extension. */
  id: string;
  /** Path relative to the project root, e.g. `corpus/ctrhd-chinh-phu-nq42.txt`. */
  file: string;
  /** Document type as written in Vietnamese: Quyết định, Kế hoạch, Chương trình hành động, … */
  type: string | null;
  /** Normalised number, e.g. `68/NQ-CP`, `1240/QĐ-LĐTBXH`; null when blank and not inferred. */
  number: string | null;
  /** Number as written on the `Số:` line, when present. */
  numberRaw: string | null;
  numberInferred: Inferred<string> | null;
  /** ISO date (YYYY-MM-DD) when stated or inferred. */
  date: string | null;
  dateRaw: string | null;
  dateInferred: Inferred<string> | null;
  issuer: string | null;
  signer: string | null;
  signerTitle: string | null;
  /** Short title, e.g. `Kế hoạch thực hiện Nghị quyết 42-NQ/TW`. */
  title: string;
  /** Trích yếu: the subject line under the document type. */
  summary: string | null;
  /** Numbers of documents this one implements (e.g. `42-NQ/TW`). */
  implements: string[];
  /** Numbers of all documents cited in the text. */
  cites: string[];
  /** Place on the place-and-date line (`Hà Nội`). */
  place?: string | null;
  /** Capacity the signer signs in: `TM. Chính phủ`, `KT. Bộ trưởng`, `Chủ tịch Quốc hội`. */
  signerCapacity?: string | null;
  /** Level of the issuing body. */
  level?: 'central' | 'ministry' | 'province' | 'district' | null;
  /** Name of a law or code without its type (`Lao động` in `Bộ luật Lao động`). */
  name?: string | null;
  /** ISO date the text says it takes effect, and the phrase as written. */
  effectiveDate?: string | null;
  effectiveRaw?: string | null;
  /** Numbers of the documents it is based on (`Căn cứ …`). */
  basedOn?: string[];
  /** Numbers of the documents it amends (`sửa đổi, bổ sung … số …`). */
  amends?: string[];
  /** Numbers of the documents it replaces or ends (`thay thế …`, `… hết hiệu lực`). */
  replaces?: string[];
  /** The document that issues it (`ban hành kèm theo Nghị quyết số 68/NQ-CP`); number null when left blank. */
  issuedWith?: { type: string | null; number: string | null } | null;
  /** Values that disagree inside the text; the header's value is kept. */
  conflicts?: Array<{ field: string; kept: string; other: string; evidence: string }>;
  /** What could not be read (no recognisable header, …), naming the file. */
  warnings?: string[];
}

export interface Chunk {
  id: string;
  docId: string;
  /** Path of the deepest section that contains the whole chunk. */
  section: string;
  /** Breadcrumb of headings, e.g. `III. TỔ CHỨC THỰC HIỆN > 3. Bộ trưởng … > d)`. */
  breadcrumb: string;
  /** Original text of the chunk (a verbatim slice of the document). */
  text: string;
  start: number;
  end: number;
  /** Text that is indexed and embedded: doc header + breadcrumb + text. */
  indexText: string;
}

/** contract: one passage in `ask --json` / `search --json`. */
export interface Passage {
  docId: string;
  docNumber: string | null;
  section: string;
  text: string;
  score: number;
  docTitle?: string;
  chunkId?: string;
}

/** contract: one citation in `ask --json`. */
export interface Citation {
  n: number;
  docId: string;
  docNumber: string | null;
  docTitle: string;
  section: string;
  /**
   * The citation as a person writes it, in the answer's language (`điểm a khoản 1 Điều 35 Bộ luật Lao động số 45/2019/QH14`).
   * Always set by the answerers (contract); optional in the type so transports accept citations from older engines.
   */
  label?: string;
  quote: string;
  file: string;
}

/** contract: the `ask --json` object. */
export interface AskResult {
  id?: string;
  question: string;
  language: 'vi' | 'en';
  refused: boolean;
  answer: string;
  /** Present only when refused: the refusal policy rule that fired and why (see src/answer/refusal.ts). */
  refusal?: { rule: string; reason: string };
  citations: Citation[];
  passages: Passage[];
  /** Set when an LLM answer had citations removed by the post-check. */
  flagged?: boolean;
  mode?: 'extractive' | 'llm';
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface AskOptions {
  history?: ChatTurn[];
  mode?: 'extractive' | 'llm';
  /** Streaming callback for answer tokens (LLM mode streams; extractive emits the answer at once). */
  onToken?: (token: string) => void;
  signal?: AbortSignal;
}

export type DeadlineType = 'date' | 'annual' | 'quarter' | 'year' | 'range' | 'period' | 'ongoing';

/** Kinds of task-register records; `duty` and `delegation` (a law's duties of state bodies, rules it delegates) come from laws. */
export const OBLIGATION_KINDS = ['report', 'issue-plan', 'implement', 'coordinate', 'monitor', 'propose', 'submit', 'other', 'indicator', 'duty', 'delegation'] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

/** contract: one record of the task register. */
export interface Obligation {
  id: string;
  docId: string;
  docNumber: string | null;
  section: string;
  text: string;
  /** One of {@link OBLIGATION_KINDS}: `duty` and `delegation` come from laws; the rest from plans. */
  kind: ObligationKind;
  lead: string[];
  partners: string[];
  recipient: string | null;
  via: string | null;
  deadline: {
    raw: string;
    type: DeadlineType;
    start?: string;
    end?: string;
    month?: number;
    day?: number;
  } | null;
  approval: string | null;
  evidence: string;
}

export interface ObligationFilter {
  doc?: string;
  unit?: string;
  kind?: string;
  dueBefore?: string;
}

/** What the server and bots need from a loaded index. Built by `createEngine` in src/answer. */
/** Retrieval channels (`search --channels`, `channels` in /api/search): keyword only, dense only, or both fused. */
export const CHANNELS = ['bm25', 'dense', 'hybrid'] as const;
export type Channels = (typeof CHANNELS)[number];

/** Options of a search; `channels` (default `hybrid`) exists for ablation. */
export interface SearchOptions {
  channels?: Channels;
  /** Earlier turns of the conversation: a follow-up ("And by when?") is searched as the question it continues. */
  history?: ChatTurn[];
}

export interface Engine {
  ask(question: string, opts?: AskOptions): Promise<AskResult>;
  search(query: string, k?: number, opts?: SearchOptions): Promise<Passage[]>;
  documents(): DocMeta[];
  document(id: string): { meta: DocMeta; outline: Section[]; text: string; lineage: { implements: string[]; implementedBy: string[] } } | null;
  section(id: string, path: string): { meta: DocMeta; section: Section; text: string } | null;
  obligations(filter?: ObligationFilter): Obligation[];
  info(): { documents: number; chunks: number; embedder: string; dim: number; builtAt: string; formatVersion: number };
}

/** A document as stored: metadata, original text (quotes are slices of it) and its section tree. */
export interface StoredDoc {
  meta: DocMeta;
  text: string;
  sections: Section[];
  /** sha256 of the source file bytes (+ sidecar); incremental ingest reuses a document with the same hash. */
  hash: string;
}

/** `to` implements `from`; each end is a docId when the document is in the corpus, else its number. */
export interface LineageEdge {
  from: string;
  to: string;
  evidence: string;
  evidenceDocId: string;
}
