// A term table stored as typed arrays: UTF-8 strings plus an open-addressing hash table, usable straight from
// the file (nothing is decoded or inserted into a Map at load).
import { BundleStrings } from './bundle.ts';
import type { TermTable } from './keyword.ts';

const encoder = new TextEncoder();

/** FNV-1a over bytes. */
function fnv1a(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Slots for n terms: a power of two at least twice n (load factor ≤ 0.5). */
function slotCount(n: number): number {
  let s = 2;
  while (s < n * 2) s *= 2;
  return s;
}

/** Builds the hash slots (row + 1, 0 = empty) for a string table. */
export function buildTermSlots(strings: BundleStrings): Uint32Array {
  const slots = new Uint32Array(slotCount(strings.size));
  const mask = slots.length - 1;
  for (let r = 0; r < strings.size; r++) {
    let s = fnv1a(strings.bytes, strings.offsets[r]!, strings.offsets[r + 1]!) & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = r + 1;
  }
  return slots;
}

/** {@link TermTable} over a string table and its hash slots. */
export class HashTermTable implements TermTable {
  private scratch = new Uint8Array(256);
  constructor(private readonly strings: BundleStrings, private readonly slots: Uint32Array) {
    if (slots.length === 0 || (slots.length & (slots.length - 1)) !== 0 || slots.length < strings.size) throw new Error('term hash table has a bad size');
  }
  get size(): number {
    return this.strings.size;
  }
  find(term: string): number {
    if (term.length * 3 > this.scratch.length) this.scratch = new Uint8Array(term.length * 3 + 16);
    const { written } = encoder.encodeInto(term, this.scratch);
    const mask = this.slots.length - 1;
    let s = fnv1a(this.scratch, 0, written) & mask;
    for (let probes = 0; probes < this.slots.length; probes++) {
      const row1 = this.slots[s]!;
      if (row1 === 0) return -1;
      const row = row1 - 1;
      if (row >= this.strings.size) return -1;
      const raw = this.strings.raw(row);
      if (raw.length === written) {
        let same = true;
        for (let i = 0; i < written; i++) if (raw[i] !== this.scratch[i]) { same = false; break; }
        if (same) return row;
      }
      s = (s + 1) & mask;
    }
    return -1;
  }
}
