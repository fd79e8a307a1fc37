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

/** Named arrays of a bundle; views into the read buffer. */
export class Bundle {
  private constructor(private readonly arrays: Map<string, TypedArray>) {}

  /** Parses a bundle; throws an Error naming what is wrong when the bytes are not a well-formed bundle. */
  static decode(buf: Buffer, what: string): Bundle {
    if (buf.length < 8 || buf.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${what} is not a plancite bundle`);
    const hlen = buf.readUInt32LE(4);
    if (8 + hlen > buf.length) throw new Error(`${what} has a truncated header`);
    let header: Header;
    try {
      header = JSON.parse(buf.toString('utf8', 8, 8 + hlen)) as Header;
    } catch {
      throw new Error(`${what} has an unreadable header`);
    }
    if (header?.version !== BUNDLE_VERSION || !Array.isArray(header.arrays)) throw new Error(`${what} has bundle version ${String(header?.version)}, expected ${BUNDLE_VERSION}`);
    // Views need aligned memory: copy once into a fresh ArrayBuffer when the read buffer is not 8-aligned.
    const base = buf.byteOffset % 8 === 0 ? buf : Buffer.from(buf);
    const arrays = new Map<string, TypedArray>();
    for (const e of header.arrays) {
      const Ctor = CTORS[e.type];
      if (!Ctor || typeof e.name !== 'string' || !Number.isInteger(e.offset) || !Number.isInteger(e.length) || e.offset < 0 || e.length < 0 || e.offset % 8 !== 0) {
        throw new Error(`${what} has a malformed array entry`);
      }
      if (e.offset + e.length * Ctor.BYTES_PER_ELEMENT > base.length) throw new Error(`${what} is truncated (array ${e.name})`);
      arrays.set(e.name, new Ctor(base.buffer as ArrayBuffer, base.byteOffset + e.offset, e.length));
    }
    return new Bundle(arrays);
  }

  private get(name: string, type: ArrayType): TypedArray {
    const a = this.arrays.get(name);
    if (!a || !(a instanceof CTORS[type])) throw new Error(`missing or mistyped array ${name}`);
    return a;
  }
  u8(name: string): Uint8Array {
    return this.get(name, 'u8') as Uint8Array;
  }
  u16(name: string): Uint16Array {
    return this.get(name, 'u16') as Uint16Array;
  }
  u32(name: string): Uint32Array {
    return this.get(name, 'u32') as Uint32Array;
  }
  f32(name: string): Float32Array {
    return this.get(name, 'f32') as Float32Array;
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

/** A string table whose rows are decoded once and kept (rows shared by many chunks: sections, breadcrumbs). */
export class CachedStrings {
  private readonly cache: Array<string | undefined>;
  constructor(private readonly inner: BundleStrings) {
    this.cache = new Array(inner.size);
  }
  get size(): number {
    return this.inner.size;
  }
  get(row: number): string {
    return (this.cache[row] ??= this.inner.get(row));
  }
}
