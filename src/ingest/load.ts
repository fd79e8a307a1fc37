// Reads one corpus file (.txt, .md, .docx, .pdf) into plain text, decoding legacy Vietnamese encodings.

import { execFile } from 'node:child_process';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';
import mammoth from 'mammoth';
import { isVietnameseSyllable } from '../text/syllables.ts';

/** The formats the loader understands, by file extension. */
export type LoadedFormat = 'txt' | 'md' | 'docx' | 'pdf';

export interface LoadedFile {
  format: LoadedFormat;
  /** The document text. UTF-8 input is returned unchanged (minus a BOM); decoded legacy text is NFC. */
  text: string;
  /** How a .txt/.md file was decoded: `utf-8`, `utf-16le`, `utf-16be`, `windows-1258`, `tcvn3`. */
  encoding?: string;
  /** Things a person should know about the conversion (legacy encoding guessed, images dropped, …). */
  warnings: string[];
}

export type LoadErrorCode = 'empty' | 'binary' | 'no-text-layer' | 'encoding' | 'unsupported' | 'read-failed';

/** A file that cannot be turned into text; `code` is stable, the message names the file and the reason. */
export class LoadError extends Error {
  readonly code: LoadErrorCode;
  /** The path that was given to the loader. */
  readonly file: string;
  constructor(code: LoadErrorCode, file: string, reason: string, options?: { cause?: unknown }) {
    super(`${path.basename(file)}: ${reason}`, options);
    this.name = 'LoadError';
    this.code = code;
    this.file = file;
  }
}

/** Options for {@link loadFile}; the default suits production. */
export interface LoadOptions {
  /** PDF text extractor: `auto` uses Poppler's pdftotext when installed, else unpdf. */
  pdfExtractor?: 'auto' | 'pdftotext' | 'unpdf';
}

const EXTENSIONS: Record<string, LoadedFormat> = { '.txt': 'txt', '.md': 'md', '.docx': 'docx', '.pdf': 'pdf' };

// ---------------------------------------------------------------------------------------------
// Tuning values

/** Share of C0 control bytes (other than tab, LF, CR, FF) above which an 8-bit file is binary. Range 0–1. */
const MAX_CONTROL_SHARE = 0.02;
/** A UTF-16 file without BOM: share of NUL bytes on one parity (ASCII high bytes) at least this … */
const UTF16_NUL_PARITY_MIN = 0.3;
/** … while the other parity has at most this share of NULs. */
const UTF16_NUL_OTHER_MAX = 0.02;
/** Bytes inspected for the UTF-16-without-BOM guess. */
const UTF16_SNIFF_BYTES = 8192;
/** Share of non-ASCII characters that may be invalid UTF-8 for a file to count as damaged UTF-8, not legacy. */
const MAX_BAD_UTF8_SHARE = 0.01;
/** A legacy decoding is accepted when at least this share of its non-ASCII words are Vietnamese syllables. */
const MIN_LEGACY_SCORE = 0.6;
/** Below this share a legacy decoding is still used but flagged in the warnings. */
const CONFIDENT_LEGACY_SCORE = 0.9;
/** A PDF's text is checked for misplaced accents only when it has at least this many non-ASCII words. */
const MIN_WORDS_FOR_PDF_CHECK = 20;
/** Share of one-letter accented words above which PDF text is flagged garbled (the corpus has < 1%, garbled pdf.js output ~50%). */
const MAX_STRAY_LETTER_SHARE = 0.1;
/** Longest pdftotext output accepted (bytes); a plan of hundreds of pages stays far below. */
const PDFTOTEXT_MAX_BUFFER = 256 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Public entry points

/**
 * Loads one corpus file as text. The format comes from the extension (case-insensitive).
 * @throws {LoadError} with code `empty`, `binary`, `no-text-layer`, `encoding`, `unsupported` or `read-failed`.
 * @example const { text, encoding } = await loadFile('/srv/corpus/kh-12.txt');
 */
export async function loadFile(absPath: string, options: LoadOptions = {}): Promise<LoadedFile> {
  const ext = path.extname(absPath).toLowerCase();
  const format = EXTENSIONS[ext];
  if (!format) throw new LoadError('unsupported', absPath, `unsupported file type "${ext || '(none)'}" (expected .txt, .md, .docx or .pdf)`);
  let bytes: Buffer;
  try {
    bytes = await readFile(absPath);
  } catch (e) {
    throw new LoadError('read-failed', absPath, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  if (bytes.length === 0) throw new LoadError('empty', absPath, 'file is empty');

  switch (format) {
    case 'txt':
    case 'md': {
      const decoded = decodeText(bytes, absPath);
      if (decoded.text.trim() === '') throw new LoadError('empty', absPath, 'file contains only whitespace');
      return { format, text: decoded.text, encoding: decoded.encoding, warnings: decoded.warnings };
    }
    case 'docx':
      return loadDocx(bytes, absPath);
    case 'pdf':
      return loadPdf(bytes, absPath, options.pdfExtractor ?? 'auto');
  }
}

/**
 * Lists the loadable files under `dir`, recursively, as absolute paths sorted by code point.
 * Skips dotfiles and dot-folders, `*.meta.json` sidecars and every other extension; follows symlinks.
 * @example await listCorpusFiles('corpus') // ['/abs/corpus/a.txt', '/abs/corpus/sub/b.pdf']
 */
export async function listCorpusFiles(dir: string): Promise<string[]> {
  const root = path.resolve(dir);
  const out: string[] = [];
  const seen = new Set<string>(); // real paths of walked folders: a folder reached twice (loop, second link) is listed once
  async function walk(current: string): Promise<void> {
    const real = await realpath(current);
    if (seen.has(real)) return;
    seen.add(real);
    const entries = await readdir(current, { withFileTypes: true });
    // Sorted so that, when two paths lead to one folder, the same one wins on every machine.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      // Follow symlinks (a corpus is often linked in from a shared drive); a dangling link is skipped.
      const kind = entry.isSymbolicLink() ? await stat(full).catch(() => null) : entry;
      if (!kind) continue;
      if (kind.isDirectory()) await walk(full);
      else if (kind.isFile() && EXTENSIONS[path.extname(entry.name).toLowerCase()]) out.push(full);
    }
  }
  await walk(root);
  // Code-point order, not localeCompare: the same on every machine whatever its locale.
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Plain text: BOM, UTF-8, UTF-16, Windows-1258, TCVN3

interface Decoded {
  text: string;
  encoding: string;
  warnings: string[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The replacement character a lenient UTF-8 decoder writes for a damaged byte, e.g. the `\ufffd` of `Vi\ufffdt`. */
const REPLACEMENT_CHAR_RE = /\ufffd/g;
/** A character outside ASCII, e.g. the `ệ` of `Việt`. */
const NON_ASCII_CHAR_RE = /[^\x00-\x7f]/g;

/** Decodes .txt/.md bytes; exported for tests of the encoding guesser. */
export function decodeText(bytes: Buffer, file: string): Decoded {
  // BOMs first: they settle the question.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return checkDecoded(decodeUtf8(bytes.subarray(3), file), 'utf-8', [], file);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return checkDecoded(decodeUtf16(bytes.subarray(2), 'le', file), 'utf-16le', [], file);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return checkDecoded(decodeUtf16(bytes.subarray(2), 'be', file), 'utf-16be', [], file);

  const utf16 = sniffUtf16(bytes);
  if (utf16) {
    return checkDecoded(decodeUtf16(bytes, utf16, file), `utf-16${utf16}`, [`no BOM; guessed UTF-16${utf16.toUpperCase()} from the NUL byte pattern`], file);
  }
  if (bytes.includes(0)) throw new LoadError('binary', file, 'file contains NUL bytes: not a text file');
  if (controlShare(bytes) > MAX_CONTROL_SHARE) throw new LoadError('binary', file, 'file is mostly control bytes: not a text file');

  try {
    // Valid UTF-8 is returned as is: quotes must stay verbatim, even when the file is not NFC.
    return { text: UTF8.decode(bytes), encoding: 'utf-8', warnings: [] };
  } catch {
    // A UTF-8 file with a few damaged bytes (a truncated save, one pasted Latin-1 byte) is still UTF-8.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const bad = lenient.match(REPLACEMENT_CHAR_RE)?.length ?? 0;
    const nonAscii = lenient.match(NON_ASCII_CHAR_RE)?.length ?? 0;
    if (bad / nonAscii <= MAX_BAD_UTF8_SHARE) {
      return { text: lenient, encoding: 'utf-8', warnings: [`${bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD`] };
    }
    return decodeLegacy(bytes, file);
  }
}

function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    return UTF8.decode(bytes);
  } catch (e) {
    throw new LoadError('encoding', file, 'file starts with a UTF-8 BOM but is not valid UTF-8', { cause: e });
  }
}

function decodeUtf16(bytes: Buffer, order: 'le' | 'be', file: string): string {
  if (bytes.length % 2 !== 0) throw new LoadError('encoding', file, `odd number of bytes for UTF-16${order.toUpperCase()}`);
  try {
    return new TextDecoder(`utf-16${order}`, { fatal: true }).decode(bytes);
  } catch (e) {
    throw new LoadError('encoding', file, `invalid UTF-16${order.toUpperCase()} text`, { cause: e });
  }
}

/** Rejects decoded text that is really binary (control characters, NULs). */
function checkDecoded(text: string, encoding: string, warnings: string[], file: string): Decoded {
  let control = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0) throw new LoadError('binary', file, `file decoded as ${encoding} contains NUL characters: not a text file`);
    if (isControl(c)) control++;
  }
  if (text.length > 0 && control / text.length > MAX_CONTROL_SHARE) {
    throw new LoadError('binary', file, `file decoded as ${encoding} is mostly control characters: not a text file`);
  }
  return { text, encoding, warnings };
}

function isControl(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f;
}

function controlShare(bytes: Buffer): number {
  let n = 0;
  for (const b of bytes) if (isControl(b)) n++;
  return n / bytes.length;
}

/** UTF-16 without BOM shows NUL high bytes of ASCII characters on one parity only. */
function sniffUtf16(bytes: Buffer): 'le' | 'be' | null {
  const len = Math.min(bytes.length, UTF16_SNIFF_BYTES) & ~1;
  if (len < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < len; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const half = len / 2;
  if (odd / half >= UTF16_NUL_PARITY_MIN && even / half <= UTF16_NUL_OTHER_MAX) return 'le';
  if (even / half >= UTF16_NUL_PARITY_MIN && odd / half <= UTF16_NUL_OTHER_MAX) return 'be';
  return null;
}

/** Tries each legacy Vietnamese encoding and keeps the one whose text reads most like Vietnamese. */
function decodeLegacy(bytes: Buffer, file: string): Decoded {
  const candidates = [
    // Windows-1258 writes most tones as combining marks after the letter: NFC joins them back.
    { encoding: 'windows-1258', text: iconv.decode(bytes, 'windows1258').normalize('NFC') },
    { encoding: 'tcvn3', text: decodeTcvn3(bytes).normalize('NFC') },
  ].map((c) => ({ ...c, score: vietnameseScore(c.text) }));
  // Stable sort: on a tie the earlier (Windows-1258, the more common one) wins.
  candidates.sort((a, b) => b.score - a.score);
  const best = candidates[0];
  if (!best || best.score < MIN_LEGACY_SCORE) {
    const scores = candidates.map((c) => `${c.encoding} ${c.score.toFixed(2)}`).join(', ');
    throw new LoadError('encoding', file, `not valid UTF-8, and neither Windows-1258 nor TCVN3 gives Vietnamese text (${scores}); convert the file to UTF-8`);
  }
  const warnings = [`not valid UTF-8; decoded as ${best.encoding} (Vietnamese score ${best.score.toFixed(2)}) and normalised to NFC`];
  if (best.score < CONFIDENT_LEGACY_SCORE) warnings.push(`low confidence in the ${best.encoding} decoding: check the text`);
  return { text: best.text, encoding: best.encoding, warnings };
}

// TCVN3 (TCVN 5712:1993 "VN3", the 8-bit encoding of the ABC fonts such as .VnTime).
// Bytes 0xA0–0xFF come from iconv-lite's `tcvn` codec (the TCVN 5712 table). That codec is the VN1 variant,
// which also places capitals in 0x01–0x17 and 0x80–0x9F; VN3 leaves those out: ABC files type capitals with a
// second font (.VnTimeH) on the lowercase codes, so a toned capital reads back lowercase, and 0x80–0x9F hold
// Windows-1252 punctuation (smart quotes, dashes), which is what Windows keyboards typed into those fonts.
/** The full byte → character table: ASCII as is, 0x80–0x9F as Windows-1252, 0xA0–0xFF as iconv-lite's `tcvn`. */
const TCVN3_TO_UNICODE: readonly string[] = (() => {
  const table: string[] = [];
  for (let b = 0; b < 0x80; b++) table.push(String.fromCharCode(b));
  for (let b = 0x80; b < 0xa0; b++) table.push(iconv.decode(Buffer.from([b]), 'windows1252'));
  for (let b = 0xa0; b < 0x100; b++) table.push(iconv.decode(Buffer.from([b]), 'tcvn'));
  return table;
})();

const UNICODE_TO_TCVN3: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  TCVN3_TO_UNICODE.forEach((ch, b) => {
    if (ch !== '\ufffd' && !map.has(ch)) map.set(ch, b);
  });
  return map;
})();

/** Decodes TCVN3 (ABC) bytes; the result may hold combining tone marks, so callers NFC-normalise. */
export function decodeTcvn3(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += TCVN3_TO_UNICODE[b] ?? '\ufffd';
  return out;
}

/**
 * Encodes NFC text as TCVN3 (ABC) bytes — the inverse of {@link decodeTcvn3}, used to make fixtures.
 * @throws {Error} naming the first character TCVN3 cannot hold (e.g. a toned capital such as `Ế`… that VN3 lacks).
 */
export function encodeTcvn3(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text.normalize('NFC')) {
    const b = UNICODE_TO_TCVN3.get(ch);
    if (b === undefined) throw new Error(`encodeTcvn3: "${ch}" (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}) has no TCVN3 code`);
    out.push(b);
  }
  return Buffer.from(out);
}

/** What separates words: white space, dashes, slashes, e.g. ` - ` in `Lao động - Thương binh`. */
const WORD_SPLIT = /[\s\-\u2010-\u2015/]+/;
/** Punctuation or symbols at either end of a word, e.g. the `(` and `),` of `(Việt),`. */
const EDGE_PUNCT = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;
/** A word of ASCII only, which decodes the same in every candidate encoding, e.g. `CTr`. */
const ASCII_ONLY_RE = /^[\x00-\x7f]*$/;
/** A digit of any script, e.g. the `2` of `Điều2`. */
const ANY_DIGIT_RE = /\p{N}/u;
/** A word of letters only, e.g. `Việt` (not `Việt.` or `2019`). */
const LETTERS_ONLY_RE = /^\p{L}+$/u;

interface WordStats {
  /** Words holding a non-ASCII character and no digit (ASCII decodes the same in every candidate encoding). */
  total: number;
  /** Of those, the well-formed Vietnamese syllables. */
  syllables: number;
  /** Of those, the one-letter words: rare in Vietnamese, the mark of accents torn from their letters. */
  single: number;
}

function wordStats(text: string): WordStats {
  const stats: WordStats = { total: 0, syllables: 0, single: 0 };
  for (const raw of text.split(WORD_SPLIT)) {
    const word = raw.replace(EDGE_PUNCT, '');
    if (word === '' || ASCII_ONLY_RE.test(word) || ANY_DIGIT_RE.test(word)) continue;
    stats.total++;
    if (LETTERS_ONLY_RE.test(word) && isVietnameseSyllable(word)) stats.syllables++;
    if ([...word].length === 1) stats.single++;
  }
  return stats;
}

/** Share (0–1) of the non-ASCII words that are valid Vietnamese syllables; 0 when there are none. */
export function vietnameseScore(text: string): number {
  const { total, syllables } = wordStats(text);
  return total === 0 ? 0 : syllables / total;
}

// ---------------------------------------------------------------------------------------------
// DOCX: mammoth's HTML, turned into text that keeps paragraphs and tables

async function loadDocx(bytes: Buffer, file: string): Promise<LoadedFile> {
  let html: string;
  const warnings: string[] = [];
  try {
    // mammoth.extractRawText flattens tables into one cell per paragraph; the HTML keeps rows and cells.
    const result = await mammoth.convertToHtml(
      { buffer: bytes },
      // Images carry no text: skip reading them into base64 data URIs.
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
    html = result.value;
    const errors = result.messages.filter((m) => m.type === 'error');
    if (errors.length > 0) warnings.push(...errors.map((m) => `docx: ${m.message}`));
  } catch (e) {
    throw new LoadError('read-failed', file, `not a readable .docx file (${(e as Error).message})`, { cause: e });
  }
  const { text, images, orderedLists } = htmlToText(html);
  if (images > 0) warnings.push(`${images} image(s) skipped: text inside images is not extracted`);
  if (orderedLists) warnings.push('automatic list numbering is rendered as 1., 2., … whatever its style in Word');
  if (text.trim() === '') throw new LoadError('empty', file, '.docx file has no text');
  return { format: 'docx', text, warnings };
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
/** An HTML entity, named or numeric, e.g. `&amp;`, `&#7879;`, `&#x1EC7;`. */
const ENTITY_RE = /&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi;

/** Decodes the HTML entities mammoth writes (named basics and numeric references). */
export function decodeEntities(s: string): string {
  return s.replace(ENTITY_RE, (m, body: string) => {
    if (body[0] === '#') {
      const cp = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? m;
  });
}

/** One token of mammoth's HTML: a tag (closing mark, name, attributes) or a run of text, e.g. `<td colspan="2">`, `Điều 1`. */
const HTML_TOKEN_RE = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)/g;
/** White space at the end, e.g. the space of `Điều 1 `. */
const ENDS_WITH_SPACE_RE = /\s$/;
/** A list item's footnote or endnote id attribute, e.g. `id="footnote-3"`. */
const NOTE_ID_RE = /id="((?:foot|end)note)-(\d+)"/;
/** The link from a note back to its reference, e.g. `href="#footnote-ref-3"`. */
const NOTE_BACKLINK_RE = /href="#(?:foot|end)note-ref-/;
/** A run of white space, e.g. the tab and line break inside a table cell. */
const SPACE_RUN_RE = /\s+/g;
/** Spaces and tabs that end a line, e.g. the two spaces of `Điều 1  ⏎`. */
const TRAILING_BLANKS_RE = /[ \t]+$/gm;

interface TableState {
  rows: string[][];
  row: string[] | null;
  cell: string | null;
}

/**
 * Turns mammoth's HTML into text: block elements become paragraphs separated by a blank line, list items
 * get `- ` or `N. `, tables become one tab-separated line per row, footnotes become `[N] text`.
 * Only the small tag set mammoth emits is handled; other tags are transparent.
 */
export function htmlToText(html: string): { text: string; images: number; orderedLists: boolean } {
  const blocks: string[] = [];
  const tables: TableState[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  let cur: string | null = null;
  let curIsPrefixOnly = false; // a list marker waiting for the item's first paragraph
  let skipText = 0; // inside a footnote back-link
  let images = 0;
  let orderedLists = false;

  const inCell = (): TableState | null => {
    const t = tables[tables.length - 1];
    return t && t.cell !== null ? t : null;
  };
  const append = (s: string): void => {
    const t = inCell();
    if (t) t.cell += s;
    else {
      cur = (cur ?? '') + s;
      curIsPrefixOnly = false;
    }
  };
  const flush = (): void => {
    if (cur !== null && !curIsPrefixOnly && cur.trim() !== '') blocks.push(cur.trim());
    cur = null;
    curIsPrefixOnly = false;
  };
  const startBlock = (): void => {
    const t = inCell();
    if (t) {
      if (t.cell !== '' && !ENDS_WITH_SPACE_RE.test(t.cell ?? '')) t.cell += ' ';
    } else if (!curIsPrefixOnly) flush();
  };
  const endBlock = (): void => {
    if (!inCell()) flush();
  };

  for (const m of html.matchAll(HTML_TOKEN_RE)) {
    const [, closing, rawTag, attrs = '', textNode] = m;
    if (textNode !== undefined) {
      if (skipText === 0) append(decodeEntities(textNode));
      continue;
    }
    const tag = (rawTag ?? '').toLowerCase();
    const open = closing !== '/';
    switch (tag) {
      case 'p':
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        if (open) startBlock();
        else endBlock();
        break;
      case 'br':
        append(inCell() ? ' ' : '\n');
        break;
      case 'img':
        images++;
        break;
      case 'ul':
      case 'ol':
        if (!inCell()) flush();
        if (open) lists.push({ ordered: tag === 'ol', n: 0 });
        else lists.pop();
        break;
      case 'li': {
        if (!open) {
          endBlock();
          break;
        }
        const list = lists[lists.length - 1];
        const note = NOTE_ID_RE.exec(attrs);
        let marker = '- ';
        if (note) marker = `[${note[2]}] `;
        else if (list?.ordered) {
          marker = `${++list.n}. `;
          orderedLists = true;
        }
        if (inCell()) append(marker);
        else {
          flush();
          cur = marker;
          curIsPrefixOnly = true;
        }
        break;
      }
      case 'a':
        // mammoth ends each footnote with a "↑" link back to its reference: not document text.
        if (open && NOTE_BACKLINK_RE.test(attrs)) skipText++;
        else if (!open && skipText > 0) skipText--;
        break;
      case 'table':
        if (open) {
          if (!inCell()) flush();
          tables.push({ rows: [], row: null, cell: null });
        } else {
          const t = tables.pop();
          if (!t) break;
          const lines = t.rows.filter((r) => r.some((c) => c !== '')).map((r) => r.join('\t'));
          if (inCell()) append(` ${lines.join(' ; ')} `); // a nested table stays inside its cell, cells space-separated
          else if (lines.length > 0) blocks.push(lines.join('\n'));
        }
        break;
      case 'tr': {
        const t = tables[tables.length - 1];
        if (!t) break;
        if (open) t.row = [];
        else if (t.row) {
          t.rows.push(t.row);
          t.row = null;
        }
        break;
      }
      case 'td':
      case 'th': {
        const t = tables[tables.length - 1];
        if (!t) break;
        if (open) t.cell = '';
        else if (t.cell !== null) {
          // Tabs and line breaks inside a cell would break the row into false columns/rows.
          (t.row ??= []).push(t.cell.replace(SPACE_RUN_RE, ' ').trim());
          t.cell = null;
        }
        break;
      }
      default:
        break; // strong, em, sup, sub, span …: their text stays, the tag does not
    }
  }
  flush();
  // Strip trailing spaces line by line; \u00a0 is kept (it can be meaningful in quotes).
  const text = blocks.map((b) => b.replace(TRAILING_BLANKS_RE, '')).join('\n\n');
  return { text, images, orderedLists };
}

// ---------------------------------------------------------------------------------------------
// PDF: Poppler's pdftotext when installed, else unpdf (pdf.js)

/** A Windows or old Mac line end, e.g. `\r\n`. */
const CR_LINE_END_RE = /\r\n?/g;
/** The form feed pdftotext ends each page with. */
const FORM_FEED_RE = /\f/g;
/** Three or more line breaks in a row, e.g. the blank lines around a page break. */
const BLANK_LINES_RE = /\n{3,}/g;
/** A letter of any script, e.g. `V`: a PDF without one has no text layer. */
const ANY_LETTER_RE = /\p{L}/u;

let pdftotextAvailable: Promise<boolean> | null = null;

/** True when Poppler's `pdftotext` can be run (checked once per process). */
export function hasPdftotext(): Promise<boolean> {
  pdftotextAvailable ??= new Promise((resolve) => {
    execFile('pdftotext', ['-v'], (err) => resolve(!(err && (err as NodeJS.ErrnoException).code === 'ENOENT')));
  });
  return pdftotextAvailable;
}

function runPdftotext(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Plain (non -layout) mode keeps reading order; `-` writes the text to stdout.
    execFile('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: PDFTOTEXT_MAX_BUFFER, encoding: 'buffer' }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr: stderr.toString('utf8').trim() }));
      else resolve(stdout.toString('utf8'));
    });
  });
}

async function runUnpdf(bytes: Buffer): Promise<string> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  try {
    const { text } = await extractText(pdf, { mergePages: true });
    return text;
  } finally {
    await pdf.destroy();
  }
}

async function loadPdf(bytes: Buffer, file: string, extractor: 'auto' | 'pdftotext' | 'unpdf'): Promise<LoadedFile> {
  const warnings: string[] = [];
  const usePoppler = extractor === 'pdftotext' || (extractor === 'auto' && (await hasPdftotext()));
  let raw: string;
  try {
    if (usePoppler) raw = await runPdftotext(file);
    else {
      if (extractor === 'auto') warnings.push('pdftotext (poppler-utils) not installed: used unpdf, which can misplace accents in some PDFs');
      raw = await runUnpdf(bytes);
    }
  } catch (e) {
    const detail = (e as { stderr?: string }).stderr || (e as Error).message;
    throw new LoadError('read-failed', file, `cannot extract text from PDF (${usePoppler ? 'pdftotext' : 'unpdf'}: ${detail})`, { cause: e });
  }
  // pdftotext ends every page with a form feed; a blank line keeps the page break without a control char.
  // Extracted text is normalised to NFC: PDFs may store decomposed accents, and there is no "original" spelling to keep.
  const text = raw
    .replace(CR_LINE_END_RE, '\n')
    .replace(FORM_FEED_RE, '\n\n')
    .replace(TRAILING_BLANKS_RE, '')
    .replace(BLANK_LINES_RE, '\n\n')
    .trim()
    .normalize('NFC');
  if (!ANY_LETTER_RE.test(text)) throw new LoadError('no-text-layer', file, 'PDF has no text layer — run OCR first');
  // pdf.js splits accents drawn from a second font away from their letters; say so rather than index garbage silently.
  const stats = wordStats(text);
  if (stats.total >= MIN_WORDS_FOR_PDF_CHECK) {
    const stray = stats.single / stats.total;
    const score = stats.syllables / stats.total;
    if (stray > MAX_STRAY_LETTER_SHARE || score < MIN_LEGACY_SCORE) {
      warnings.push(
        `extracted text looks garbled (${Math.round(stray * 100)}% stray accented letters, Vietnamese score ${score.toFixed(2)}): ` +
          `accents may be out of place${usePoppler ? '' : '; install poppler-utils (pdftotext)'}`,
      );
    }
  }
  return { format: 'pdf', text, warnings };
}
