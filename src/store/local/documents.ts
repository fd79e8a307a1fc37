// The local document store: document metadata, texts and sections, and a columnar chunk table whose chunks are
// offsets into their document's text (a chunk's `text` is a verbatim slice, so no text is stored twice).
import type { Chunk, DocMeta, Section, StoredDoc } from '../../doc/types.ts';
import type { ChunkId, DocumentStore } from '../ports.ts';

/** Tabs between table cells, e.g. `\t\t`. */
const TAB_RUN_RE = /\t+/g;
/** Digits only, e.g. `12`. */
const DIGITS_ONLY_RE = /^\d+$/;

/** Read access to a table of strings by row. */
export interface StringTable {
  get(row: number): string;
  readonly size: number;
}

/** Builds a string table, storing each distinct string once. */
export class StringTableBuilder implements StringTable {
  readonly list: string[] = [];
  private readonly rows = new Map<string, number>();
  add(s: string): number {
    let r = this.rows.get(s);
    if (r === undefined) {
      r = this.list.length;
      this.rows.set(s, r);
      this.list.push(s);
    }
    return r;
  }
  get(row: number): string {
    return this.list[row]!;
  }
  get size(): number {
    return this.list.length;
  }
}

/** How a chunk's indexed text is made from its prefix string and its body. */
export const enum IndexTextKind {
  /** prefix + '\n' + text */
  Plain = 0,
  /** prefix + '\n' + text with tab runs shown as ` | ` (table rows) */
  Row = 1,
  /** the prefix string is the whole indexed text */
  Verbatim = 2,
}

/** The chunk table, one row per chunk in corpus order (a document's chunks are contiguous). */
export interface ChunkColumns {
  doc: Uint32Array;
  start: Uint32Array;
  end: Uint32Array;
  section: Uint32Array;
  crumb: Uint32Array;
  prefix: Uint32Array;
  kind: Uint8Array;
  strings: StringTable;
}

/** Where document parts come from: in memory while building, from the build's files when loaded. */
export interface DocSource {
  metas: DocMeta[];
  text(doc: number): string;
  /** text(doc).slice(start, end), without reading the rest of the text. */
  textSlice(doc: number, start: number, end: number): string;
  sections(doc: number): Section[];
  hash(doc: number): string;
  /** The document's opening up to the end of its header block (see headOf in store/ports.ts). */
  head(doc: number): string;
}

/** Most UTF-16 code units of document text kept decoded (with their sections) by {@link LocalDocuments}: 16 Mi (32 MiB). */
export const DOC_CACHE_UNITS = 16 * 1048576;

/** A chunk table from chunk records (their text must be a slice of their document's text). */
export function chunkColumns(docs: StoredDoc[], chunks: Chunk[]): ChunkColumns & { strings: StringTableBuilder } {
  const n = chunks.length;
  const cols = {
    doc: new Uint32Array(n),
    start: new Uint32Array(n),
    end: new Uint32Array(n),
    section: new Uint32Array(n),
    crumb: new Uint32Array(n),
    prefix: new Uint32Array(n),
    kind: new Uint8Array(n),
    strings: new StringTableBuilder(),
  };
  const docRow = new Map(docs.map((d, i) => [d.meta.id, i]));
  let lastDoc = -1;
  chunks.forEach((c, i) => {
    const d = docRow.get(c.docId);
    if (d === undefined) throw new Error(`chunk ${c.id} belongs to unknown document ${c.docId}`);
    if (d < lastDoc) throw new Error(`chunks of document ${c.docId} are not contiguous`);
    lastDoc = d;
    if (docs[d]!.text.slice(c.start, c.end) !== c.text) throw new Error(`chunk ${c.id} is not a slice of its document`);
    cols.doc[i] = d;
    cols.start[i] = c.start;
    cols.end[i] = c.end;
    cols.section[i] = cols.strings.add(c.section);
    cols.crumb[i] = cols.strings.add(c.breadcrumb);
    let kind = IndexTextKind.Verbatim;
    let prefix = c.indexText;
    if (c.indexText.endsWith(`\n${c.text}`)) {
      kind = IndexTextKind.Plain;
      prefix = c.indexText.slice(0, c.indexText.length - c.text.length - 1);
    } else {
      const row = `\n${rowText(c.text)}`;
      if (c.indexText.endsWith(row)) {
        kind = IndexTextKind.Row;
        prefix = c.indexText.slice(0, c.indexText.length - row.length);
      }
    }
    cols.kind[i] = kind;
    cols.prefix[i] = cols.strings.add(prefix);
  });
  return cols;
}

function rowText(body: string): string {
  return body.replace(TAB_RUN_RE, ' | ');
}

/**
 * {@link DocumentStore} over a document source and a chunk table. Documents are read when first asked for and
 * the most recently used ones kept, up to {@link DOC_CACHE_UNITS} of text; a chunk's text is read on its own.
 */
export class LocalDocuments implements DocumentStore {
  private readonly rowOf = new Map<string, number>();
  /** First chunk ordinal of each document (length documents + 1). */
  private readonly firstChunk: Uint32Array;
  /** Recently used documents by row, least recent first (a Map keeps insertion order). */
  private readonly cache = new Map<number, StoredDoc>();
  private cachedUnits = 0;

  constructor(private readonly src: DocSource, private readonly cols: ChunkColumns) {
    src.metas.forEach((m, i) => this.rowOf.set(m.id, i));
    const nd = src.metas.length;
    this.firstChunk = new Uint32Array(nd + 1);
    const counts = new Uint32Array(nd);
    for (let i = 0; i < cols.doc.length; i++) counts[cols.doc[i]!]!++;
    for (let d = 0; d < nd; d++) this.firstChunk[d + 1] = this.firstChunk[d]! + counts[d]!;
  }

  metas(): DocMeta[] {
    return this.src.metas;
  }

  get(docId: string): StoredDoc | null {
    const d = this.rowOf.get(docId);
    return d === undefined ? null : this.docAt(d);
  }

  head(docId: string): string | null {
    const d = this.rowOf.get(docId);
    return d === undefined ? null : this.src.head(d);
  }

  private docAt(d: number): StoredDoc {
    let doc = this.cache.get(d);
    if (doc) {
      this.cache.delete(d);
      this.cache.set(d, doc);
      return doc;
    }
    doc = { meta: this.src.metas[d]!, text: this.src.text(d), sections: this.src.sections(d), hash: this.src.hash(d) };
    this.cache.set(d, doc);
    this.cachedUnits += doc.text.length;
    for (const [row, old] of this.cache) {
      if (this.cachedUnits <= DOC_CACHE_UNITS || row === d) break;
      this.cache.delete(row);
      this.cachedUnits -= old.text.length;
    }
    return doc;
  }

  chunkCount(): number {
    return this.cols.doc.length;
  }

  /** Ordinals [first, end) of a document's chunks; null when the document is unknown. */
  ordinalRange(docId: string): [number, number] | null {
    const d = this.rowOf.get(docId);
    return d === undefined ? null : [this.firstChunk[d]!, this.firstChunk[d + 1]!];
  }

  /** Ordinal (corpus position) of a chunk id; -1 when unknown. */
  ordinalOf(id: ChunkId): number {
    const hash = id.lastIndexOf('#');
    if (hash < 0) return -1;
    const d = this.rowOf.get(id.slice(0, hash));
    const nStr = id.slice(hash + 1);
    if (d === undefined || !DIGITS_ONLY_RE.test(nStr)) return -1;
    const o = this.firstChunk[d]! + Number(nStr);
    return o < this.firstChunk[d + 1]! ? o : -1;
  }

  idAt(ordinal: number): ChunkId {
    const d = this.cols.doc[ordinal]!;
    return `${this.src.metas[d]!.id}#${ordinal - this.firstChunk[d]!}`;
  }

  /**
   * The chunk at an ordinal. Its `text` and `indexText` are read when first used: ranking looks at many chunks'
   * ids and sections and at few chunks' texts.
   */
  chunkAt(ordinal: number): Chunk {
    const c = this.cols;
    const d = c.doc[ordinal]!;
    const docs = this;
    let text: string | undefined;
    let indexText: string | undefined;
    // Accessors, not closures held in variables: a chunk is made for every candidate of every question.
    return {
      id: this.idAt(ordinal),
      docId: this.src.metas[d]!.id,
      section: c.strings.get(c.section[ordinal]!),
      breadcrumb: c.strings.get(c.crumb[ordinal]!),
      get text(): string {
        return (text ??= docs.textOf(ordinal));
      },
      set text(v: string) {
        text = v;
      },
      start: c.start[ordinal]!,
      end: c.end[ordinal]!,
      get indexText(): string {
        return (indexText ??= docs.indexTextOf(ordinal, this));
      },
      set indexText(v: string) {
        indexText = v;
      },
    };
  }

  /** The text of the chunk at an ordinal: a slice of its document's text (from the cache, else read on its own). */
  private textOf(ordinal: number): string {
    const c = this.cols;
    const d = c.doc[ordinal]!;
    const cached = this.cache.get(d);
    return cached ? cached.text.slice(c.start[ordinal]!, c.end[ordinal]!) : this.src.textSlice(d, c.start[ordinal]!, c.end[ordinal]!);
  }

  /** The indexed text of the chunk at an ordinal (its text read only when part of it). */
  private indexTextOf(ordinal: number, chunk: { text: string }): string {
    const c = this.cols;
    const prefix = c.strings.get(c.prefix[ordinal]!);
    const kind = c.kind[ordinal] as IndexTextKind;
    return kind === IndexTextKind.Verbatim ? prefix : `${prefix}\n${kind === IndexTextKind.Row ? rowText(chunk.text) : chunk.text}`;
  }

  chunk(id: ChunkId): Chunk | null {
    const o = this.ordinalOf(id);
    return o < 0 ? null : this.chunkAt(o);
  }

  chunksOf(docId: string): Chunk[] {
    const d = this.rowOf.get(docId);
    if (d === undefined) return [];
    const out: Chunk[] = [];
    for (let o = this.firstChunk[d]!; o < this.firstChunk[d + 1]!; o++) out.push(this.chunkAt(o));
    return out;
  }
}
