// Binary bundle files: named typed arrays behind a small JSON header, read with one read and viewed without copying.
//
// Layout: "PLCB" | u32 header length | header JSON {version, arrays:[{name,type,offset,length}]} | padding | data.
// Every array starts at a multiple of 8 bytes from the start of the file. Numbers are little-endian.

/** Version of the bundle layout itself (the index format version is in the manifest). */
export const BUNDLE_VERSION = 1;
const MAGIC = 'PLCB';

export type ArrayType = 'u8' | 'u16' | 'u32' | 'f32' | 'f64';
export type TypedArray = Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

const CTORS = {
  u8: Uint8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  f32: Float32Array,
  f64: Float64Array,
} as const;

function typeOf(a: TypedArray): ArrayType {
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Float32Array) return 'f32';
  return 'f64';
}

interface Header {
  version: number;
  arrays: Array<{ name: string; type: ArrayType; offset: number; length: number }>;
}

const align8 = (n: number) => (n + 7) & ~7;

/** Serialises named arrays into one buffer. */
export function encodeBundle(arrays: Record<string, TypedArray>): Buffer {
  const names = Object.keys(arrays);
  // The header holds data offsets, which depend on the header's own size: lay out once with a guess, then fix.
  let headerBytes = 0;
  for (let pass = 0; pass < 3; pass++) {
    let at = align8(8 + headerBytes);
    const header: Header = { version: BUNDLE_VERSION, arrays: [] };
    for (const name of names) {
      const a = arrays[name]!;
      header.arrays.push({ name, type: typeOf(a), offset: at, length: a.length });
      at = align8(at + a.byteLength);
    }
    const json = Buffer.from(JSON.stringify(header));
    if (json.length <= headerBytes) {
      const out = Buffer.alloc(at);
      out.write(MAGIC, 0, 'latin1');
      out.writeUInt32LE(headerBytes, 4);
      json.copy(out, 8);
      out.fill(0x20, 8 + json.length, 8 + headerBytes);
      for (const e of header.arrays) {
        const a = arrays[e.name]!;
        Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, e.offset);
      }
      return out;
    }
    headerBytes = json.length + 64;
  }
  throw new Error('bundle header did not converge');
}

/** Parses a bundle's header JSON (bytes 8 … 8 + header length) into its array entries by name. */
function parseHeader(json: string, what: string): Map<string, Header['arrays'][number]> {
  let header: Header;
  try {
    header = JSON.parse(json) as Header;
  } catch {
    throw new Error(`${what} has an unreadable header`);
  }
  if (header?.version !== BUNDLE_VERSION || !Array.isArray(header.arrays)) throw new Error(`${what} has bundle version ${String(header?.version)}, expected ${BUNDLE_VERSION}`);
  const out = new Map<string, Header['arrays'][number]>();
  for (const e of header.arrays) {
    const Ctor = CTORS[e.type];
    if (!Ctor || typeof e.name !== 'string' || !Number.isInteger(e.offset) || !Number.isInteger(e.length) || e.offset < 0 || e.length < 0 || e.offset % 8 !== 0) {
      throw new Error(`${what} has a malformed array entry`);
    }
    out.set(e.name, e);
  }
  return out;
}

/** What a lazily read bundle reads its bytes from (a {@link CheckedFile}). */
export interface ByteSource {
  readonly size: number;
  /** Bytes [at, at + length) in a fresh 8-byte aligned buffer. */
  read(at: number, length: number): Buffer;
}

/**
 * A bundle read on demand: only its header is read when opened; an array is read whole ({@link LazyBundle.u32}
 * etc.) or a range of it at a time ({@link LazyBundle.range}).
 */
export class LazyBundle {
  private constructor(private readonly src: ByteSource, private readonly what: string, private readonly entries: Map<string, Header['arrays'][number]>) {}

  static open(src: ByteSource, what: string): LazyBundle {
    if (src.size < 8) throw new Error(`${what} is not a plancite bundle`);
    const head = src.read(0, 8);
    if (head.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${what} is not a plancite bundle`);
    const hlen = head.readUInt32LE(4);
    if (8 + hlen > src.size) throw new Error(`${what} has a truncated header`);
    const entries = parseHeader(src.read(8, hlen).toString('utf8'), what);
    for (const e of entries.values()) {
      if (e.offset + e.length * CTORS[e.type].BYTES_PER_ELEMENT > src.size) throw new Error(`${what} is truncated (array ${e.name})`);
    }
    return new LazyBundle(src, what, entries);
  }

  private entry(name: string, type: ArrayType): Header['arrays'][number] {
    const e = this.entries.get(name);
    if (!e || e.type !== type) throw new Error(`missing or mistyped array ${name}`);
    return e;
  }

  /** Number of elements of an array. */
  length(name: string, type: ArrayType): number {
    return this.entry(name, type).length;
  }

  /** Elements [from, to) of an array, read from the file. */
  range<T extends ArrayType>(name: string, type: T, from: number, to: number): InstanceType<(typeof CTORS)[T]> {
    const e = this.entry(name, type);
    if (!(from >= 0 && from <= to && to <= e.length)) throw new RangeError(`${this.what}: range ${from}–${to} outside array ${name}`);
    const Ctor = CTORS[type];
    const buf = this.src.read(e.offset + from * Ctor.BYTES_PER_ELEMENT, (to - from) * Ctor.BYTES_PER_ELEMENT);
    return new Ctor(buf.buffer as ArrayBuffer, buf.byteOffset, to - from) as InstanceType<(typeof CTORS)[T]>;
  }

  u8(name: string): Uint8Array {
    return this.range(name, 'u8', 0, this.length(name, 'u8'));
  }
  u16(name: string): Uint16Array {
    return this.range(name, 'u16', 0, this.length(name, 'u16'));
  }
  u32(name: string): Uint32Array {
    return this.range(name, 'u32', 0, this.length(name, 'u32'));
  }
  f32(name: string): Float32Array {
    return this.range(name, 'f32', 0, this.length(name, 'f32'));
  }
}

const encoder = new TextEncoder();

/** Strings as UTF-8 bytes plus byte offsets (length n + 1). */
export function encodeStrings(list: string[]): { bytes: Uint8Array; offsets: Uint32Array } {
  const parts = list.map((s) => encoder.encode(s));
  const offsets = new Uint32Array(list.length + 1);
  let total = 0;
  parts.forEach((p, i) => {
    offsets[i] = total;
    total += p.length;
  });
  offsets[list.length] = total;
  const bytes = new Uint8Array(total);
  parts.forEach((p, i) => bytes.set(p, offsets[i]!));
  return { bytes, offsets };
}

/** Strings as UTF-16 code units plus unit offsets (length n + 1): a slice of a string is a slice of its units. */
export function encodeUtf16(list: string[]): { units: Uint16Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(list.length + 1);
  list.forEach((s, i) => (offsets[i + 1] = offsets[i]! + s.length));
  const units = new Uint16Array(offsets[list.length]!);
  list.forEach((s, i) => {
    const at = offsets[i]!;
    for (let j = 0; j < s.length; j++) units[at + j] = s.charCodeAt(j);
  });
  return { units, offsets };
}

/** A string table read from a bundle: rows are decoded on demand. */
export class BundleStrings {
  /** Node's UTF-8 decoding of a Buffer slice is far cheaper than TextDecoder for many short strings. */
  private readonly buf: Buffer;
  constructor(readonly bytes: Uint8Array, readonly offsets: Uint32Array) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (offsets.length === 0 || offsets[offsets.length - 1]! > bytes.length) throw new Error('string table offsets run past its bytes');
    for (let i = 1; i < offsets.length; i++) if (offsets[i]! < offsets[i - 1]!) throw new Error('string table offsets are not ascending');
  }
  get size(): number {
    return this.offsets.length - 1;
  }
  get(row: number): string {
    if (!(row >= 0 && row < this.size)) throw new RangeError(`string row ${row} out of range`);
    return this.buf.toString('utf8', this.offsets[row]!, this.offsets[row + 1]!);
  }
  /** Raw UTF-8 bytes of a row (for comparisons without decoding). */
  raw(row: number): Uint8Array {
    return this.bytes.subarray(this.offsets[row]!, this.offsets[row + 1]!);
  }
}

/** Most rows a {@link FileStrings} keeps decoded (those used least recently dropped, half at a time). */
export const STRING_CACHE_ROWS = 65_536;

/**
 * A string table of a lazily read bundle: the row offsets are in memory, a row's bytes are read from the file
 * when asked for, and recently used rows are kept decoded (rows shared by many chunks: sections, breadcrumbs).
 * The cache is two generations of rows, not a least-recently-used order: moving a row to the end of a large Map
 * (delete, then set) makes the Map rehash every few calls, which cost 2 µs a row on a warm table.
 */
export class FileStrings {
  /** Rows used since the last turnover. */
  private young = new Map<number, string>();
  /** Rows used in the generation before (dropped at the next turnover unless used again). */
  private old = new Map<number, string>();
  constructor(private readonly bundle: LazyBundle, private readonly bytesName: string, private readonly offsets: Uint32Array) {
    if (offsets.length === 0 || offsets[offsets.length - 1]! !== bundle.length(bytesName, 'u8')) throw new Error(`string table ${bytesName} offsets do not match its bytes`);
    for (let i = 1; i < offsets.length; i++) if (offsets[i]! < offsets[i - 1]!) throw new Error(`string table ${bytesName} offsets are not ascending`);
  }
  get size(): number {
    return this.offsets.length - 1;
  }
  get(row: number): string {
    let s = this.young.get(row);
    if (s !== undefined) return s;
    s = this.old.get(row);
    if (s === undefined) {
      if (!(row >= 0 && row < this.size)) throw new RangeError(`string row ${row} out of range`);
      const raw = this.bundle.range(this.bytesName, 'u8', this.offsets[row]!, this.offsets[row + 1]!);
      s = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
    }
    this.young.set(row, s);
    if (this.young.size >= STRING_CACHE_ROWS / 2) {
      this.old = this.young;
      this.young = new Map();
    }
    return s;
  }
}
