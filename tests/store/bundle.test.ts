// Bundles read on demand: a string table read row by row keeps giving the right rows past its cache's turnovers.
import { describe, expect, it } from 'vitest';
import { encodeBundle, encodeStrings, FileStrings, LazyBundle, STRING_CACHE_ROWS, type ByteSource } from '../../src/store/local/bundle.ts';

/** A bundle held in memory, read like a build file (fresh aligned buffers), counting its reads. */
function memorySource(bytes: Buffer): ByteSource & { reads: number } {
  return {
    size: bytes.length,
    reads: 0,
    read(at, length) {
      this.reads++;
      const out = Buffer.alloc(length);
      bytes.copy(out, 0, at, at + length);
      return out;
    },
  };
}

describe('string tables read on demand', () => {
  it('give every row right across cache turnovers, and read a row again only once it has gone unused', () => {
    const rows = STRING_CACHE_ROWS + 5_000;
    const list = Array.from({ length: rows }, (_, i) => `mục ${i} — Điều ${i % 97}`);
    const s = encodeStrings(list);
    const src = memorySource(encodeBundle({ bytes: s.bytes, offsets: s.offsets }));
    const b = LazyBundle.open(src, 'test bundle');
    const table = new FileStrings(b, 'bytes', b.u32('offsets'));
    expect(table.size).toBe(rows);
    // Row 0 is used all along; every other row once, in order (several turnovers).
    for (let i = 1; i < rows; i++) {
      expect(table.get(i)).toBe(list[i]);
      expect(table.get(0)).toBe(list[0]);
    }
    const before = src.reads;
    expect(table.get(0)).toBe(list[0]);
    expect(table.get(rows - 1)).toBe(list[rows - 1]);
    expect(src.reads).toBe(before);
    expect(table.get(1)).toBe(list[1]);
    expect(src.reads).toBe(before + 1);
    expect(() => table.get(rows)).toThrow(RangeError);
  });
});
