// Build files read on demand: an open file handle, positioned reads, and a checksum per block of the file that is
// checked the first time a read touches the block — so opening a build reads only what it keeps in memory, and a
// damaged byte is still refused before it is used.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';

/** Bytes per checksummed block (a read of a block not checked yet reads and hashes the whole block): 256 KiB. */
export const CHECK_BLOCK = 1 << 18;
/** Hex digits kept of each block's sha256 (64 bits: enough to catch damage, not meant against forgery). */
const SUM_HEX = 16;

/** What the manifest records of one data file: its size and the checksums of its blocks, concatenated. */
export interface FileSums {
  size: number;
  blocks: string;
}

function blockSum(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, SUM_HEX);
}

/** Checksums of a file's bytes, block by block. */
export function fileSums(bytes: Uint8Array): FileSums {
  let blocks = '';
  for (let at = 0; at < bytes.length; at += CHECK_BLOCK) blocks += blockSum(bytes.subarray(at, Math.min(bytes.length, at + CHECK_BLOCK)));
  return { size: bytes.length, blocks };
}

/** A fresh, 8-byte aligned buffer (typed array views need their element alignment), left unfilled: it is read into whole. */
function alignedBuffer(length: number): Buffer {
  // allocUnsafeSlow never hands out a slice of Node's shared pool: the buffer starts its own ArrayBuffer.
  return Buffer.allocUnsafeSlow(length);
}

/** Closes the handle of a file object that was dropped without close() (a build swapped out by a server). */
const unclosed = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

/** A read-only build file: positioned reads whose blocks are checked against the manifest on first use. */
export class CheckedFile {
  private readonly checked: Uint8Array;
  private fd: number | null;

  /**
   * Opens a build file; throws an Error naming the file when it is missing or not the size the manifest says.
   * @param onDamage builds the error thrown when a block does not match its checksum (on open or on a later read)
   */
  constructor(
    readonly file: string,
    readonly name: string,
    private readonly sums: FileSums,
    private readonly onDamage: (message: string) => Error,
  ) {
    const blocks = Math.ceil(sums.size / CHECK_BLOCK);
    if (sums.blocks.length !== blocks * SUM_HEX) throw new Error(`${name} has ${sums.blocks.length / SUM_HEX} block checksums for ${blocks} blocks`);
    this.fd = openSync(file, 'r');
    const size = fstatSync(this.fd).size;
    if (size !== sums.size) {
      this.close();
      throw new Error(`${name} is ${size} bytes, the manifest says ${sums.size}`);
    }
    this.checked = new Uint8Array(blocks);
    unclosed.register(this, this.fd, this);
  }

  get size(): number {
    return this.sums.size;
  }

  private handle(): number {
    if (this.fd === null) throw new Error(`${this.name} is closed`);
    return this.fd;
  }

  private readInto(buf: Buffer, at: number): void {
    let done = 0;
    while (done < buf.length) {
      const n = readSync(this.handle(), buf, done, buf.length - done, at + done);
      if (n === 0) throw this.onDamage(`${this.name} is truncated`);
      done += n;
    }
  }

  /**
   * Bytes [at, at + length) of the file in a fresh 8-byte aligned buffer. Blocks not checked yet are read whole
   * and checked first; a damaged block throws the error made by `onDamage`.
   */
  read(at: number, length: number): Buffer {
    if (!(at >= 0 && length >= 0 && at + length <= this.sums.size)) throw this.onDamage(`${this.name}: read past its end`);
    const out = alignedBuffer(length);
    if (length === 0) return out;
    const first = Math.floor(at / CHECK_BLOCK);
    const last = Math.floor((at + length - 1) / CHECK_BLOCK);
    let unchecked = false;
    for (let b = first; b <= last && !unchecked; b++) unchecked = this.checked[b] === 0;
    if (!unchecked) {
      this.readInto(out, at);
      return out;
    }
    const from = first * CHECK_BLOCK;
    const span = alignedBuffer(Math.min(this.sums.size, (last + 1) * CHECK_BLOCK) - from);
    this.readInto(span, from);
    for (let b = first; b <= last; b++) {
      if (this.checked[b]) continue;
      const s = (b - first) * CHECK_BLOCK;
      const sum = blockSum(span.subarray(s, Math.min(span.length, s + CHECK_BLOCK)));
      if (sum !== this.sums.blocks.slice(b * SUM_HEX, (b + 1) * SUM_HEX)) throw this.onDamage(`${this.name} does not match its checksum`);
      this.checked[b] = 1;
    }
    span.copy(out, 0, at - from, at - from + length);
    return out;
  }

  /** The whole file, checked. */
  readAll(): Buffer {
    return this.read(0, this.sums.size);
  }

  /** Checks every block not checked yet, a block at a time (for files handed to a reader by path). */
  checkAll(): void {
    for (let at = 0; at < this.sums.size; at += CHECK_BLOCK) this.read(at, Math.min(CHECK_BLOCK, this.sums.size - at));
  }

  close(): void {
    if (this.fd !== null) {
      unclosed.unregister(this);
      closeSync(this.fd);
    }
    this.fd = null;
  }
}
