// Renders answers for messaging platforms: short citation tags, per-platform markup, trimming that never cuts a citation.
import type { AskResult, Citation } from '../doc/types.ts';
import type { BotReply, Flavor } from './reply.ts';
import { HISTORY_TTL_MS } from './history.ts';

/** Spaces and punctuation that end a cut title, e.g. the `, ` of `Kế hoạch số 19, `. */
const TRAILING_PUNCT_RE = /[\s,.;:…–-]+$/;
/** An opening parenthesis, which some chat clients end a link at, e.g. in `§I(2)`. */
const OPEN_PAREN_RE = /\(/g;
/** A closing parenthesis, e.g. in `§I(2)`. */
const CLOSE_PAREN_RE = /\)/g;
/** Slashes that end a base URL, e.g. the last `/` of `https://plan.example/`. */
const TRAILING_SLASHES_RE = /\/+$/;
/** An ampersand, e.g. in `A & B`. */
const AMP_RE = /&/g;
/** A less-than sign, e.g. in `<b>`. */
const LT_RE = /</g;
/** A greater-than sign, e.g. in `<b>`. */
const GT_RE = />/g;
/** A double quote inside an attribute value, e.g. in `say "hi"`. */
const QUOTE_RE = /"/g;
/** Spaces or tabs that end a piece of text, e.g. the `  ` of `Sở Y tế  `. */
const TRAILING_SPACE_RE = /[ \t]+$/;
/** The first half of a surrogate pair, e.g. the first code unit of `😀`. */
const HIGH_SURROGATE_RE = /[\uD800-\uDBFF]/;
/** The last space and the partial word after it, e.g. ` Thương` of `Bộ Lao động - Thương`. */
const LAST_WORD_RE = /\s\S*$/;

export type { Flavor };

export interface RenderOptions {
  flavor: Flavor;
  /** Longest message the platform accepts (characters); `Infinity` for no limit. */
  maxChars: number;
  /** Base URL of the document viewer; tags link to it when set. */
  publicUrl?: string;
  /** Plain text cannot link a tag: list each kept source with its URL after the answer instead. */
  sourcesFooter?: boolean;
}

/** Shown for /start, /help, an empty command or a help word. Both languages: the asker's is unknown. */
export const HELP_TEXT = [
  'Plancite trả lời câu hỏi về các kế hoạch, chương trình hành động, nghị quyết — kèm trích dẫn [số văn bản §mục] và câu trích nguyên văn.',
  'Ví dụ: Ai báo cáo kết quả thực hiện Nghị quyết 42 và khi nào?',
  'You can ask in English too, e.g. "Which unit reports on Resolution 42, and by when?"',
  `Câu hỏi tiếp theo có thể dựa vào câu trước (trong ${HISTORY_TTL_MS / 60_000} phút). /help — hướng dẫn này.`,
].join('\n');

/** Recognises the `[n]` markers the engine puts after each cited sentence. */
const MARKER_RE = /\[(\d+)\]/g;

/** Longest citation label used as a tag; longer labels fall back to `number §section`. */
export const TAG_LABEL_MAX_CHARS = 64;

/** Longest document title shown in a tag when the number is unknown (characters); longer ones are cut at a word. */
export const TAG_TITLE_MAX_CHARS = 48;

function shortTitle(title: string): string {
  const t = title.trim();
  if (t.length <= TAG_TITLE_MAX_CHARS) return t;
  const cut = t.slice(0, TAG_TITLE_MAX_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > TAG_TITLE_MAX_CHARS / 2 ? cut.slice(0, space) : cut).replace(TRAILING_PUNCT_RE, '')}…`;
}

/**
 * The short tag of a citation: document number (or, when the number is unknown, the title cut to
 * TAG_TITLE_MAX_CHARS) and section.
 * @example citationTag({ docNumber: '68/NQ-CP', docTitle: '…', section: 'III.3.d' }) === '[68/NQ-CP §III.3.d]'
 */
export function citationTag(c: Pick<Citation, 'docNumber' | 'docTitle' | 'section'> & { label?: string }): string {
  // The citation's label when it fits a tag (`[khoản 2 Điều 25 Bộ luật Lao động số 45/2019/QH14]`), else number §section.
  if (c.label && c.label.length <= TAG_LABEL_MAX_CHARS) return `[${c.label}]`;
  const doc = c.docNumber ?? shortTitle(c.docTitle);
  // The header is the document itself (number, date, signer): the bare number says it.
  const section = c.section && c.section !== 'header' ? ` §${c.section}` : '';
  return `[${doc}${section}]`;
}

/** Encodes a URL component, including the parentheses Markdown would read as the end of a link. */
function encodePart(s: string): string {
  return encodeURIComponent(s).replace(OPEN_PAREN_RE, '%28').replace(CLOSE_PAREN_RE, '%29');
}

/**
 * Link to the cited section in the document viewer.
 * @example citationUrl('https://plan.example', { docId: 'ctrhd-chinh-phu-nq42', section: 'III.3.d' }) === 'https://plan.example/documents/ctrhd-chinh-phu-nq42#III.3.d'
 */
export function citationUrl(publicUrl: string, c: Pick<Citation, 'docId' | 'section'>): string {
  return `${publicUrl.replace(TRAILING_SLASHES_RE, '')}/documents/${encodePart(c.docId)}#${encodePart(c.section)}`;
}

/** Escapes the three characters Telegram HTML (and Slack mrkdwn) treat as markup. */
export function escapeHtml(s: string): string {
  return s.replace(AMP_RE, '&amp;').replace(LT_RE, '&lt;').replace(GT_RE, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeHtml(s).replace(QUOTE_RE, '&quot;');
}

type Piece = { kind: 'text'; raw: string } | { kind: 'tag'; label: string; url?: string };

function renderText(raw: string, flavor: Flavor): string {
  return flavor === 'html' || flavor === 'slack' ? escapeHtml(raw) : raw;
}

function renderTag(p: { label: string; url?: string }, flavor: Flavor): string {
  if (!p.url) return renderText(p.label, flavor);
  switch (flavor) {
    case 'html':
      return `<a href="${escapeAttr(p.url)}">${escapeHtml(p.label)}</a>`;
    case 'slack':
      return `<${p.url}|${escapeHtml(p.label)}>`;
    case 'markdown':
      // `[[68/NQ-CP §III.3.d](url)]`: the brackets stay visible around the linked text.
      return `[[${p.label.slice(1, -1)}](${p.url})]`;
    case 'plain':
      return p.label;
  }
}

function renderPiece(p: Piece, flavor: Flavor): string {
  return p.kind === 'text' ? renderText(p.raw, flavor) : renderTag(p, flavor);
}

/** Splits an answer into text and citation tags; citations no marker refers to are listed at the end. */
function answerPieces(result: AskResult, publicUrl: string | undefined): Piece[] {
  const byN = new Map(result.citations.map((c) => [c.n, c]));
  const used = new Set<number>();
  const pieces: Piece[] = [];
  const tagOf = (c: Citation): Piece => ({ kind: 'tag', label: citationTag(c), url: publicUrl ? citationUrl(publicUrl, c) : undefined });
  let last = 0;
  for (const m of result.answer.matchAll(MARKER_RE)) {
    if (m.index > last) pieces.push({ kind: 'text', raw: result.answer.slice(last, m.index) });
    last = m.index + m[0].length;
    const c = byN.get(Number(m[1]));
    if (!c) {
      // A marker without its citation would be a dangling reference: drop it with the space before it.
      const prev = pieces[pieces.length - 1];
      if (prev?.kind === 'text') prev.raw = prev.raw.replace(TRAILING_SPACE_RE, '');
      continue;
    }
    pieces.push(tagOf(c));
    used.add(c.n);
  }
  if (last < result.answer.length) pieces.push({ kind: 'text', raw: result.answer.slice(last) });
  const unused = result.citations.filter((c) => !used.has(c.n));
  if (unused.length > 0) {
    pieces.push({ kind: 'text', raw: `\n${result.language === 'en' ? 'Sources' : 'Nguồn'}: ` });
    unused.forEach((c, i) => {
      if (i > 0) pieces.push({ kind: 'text', raw: ' ' });
      pieces.push(tagOf(c));
    });
  }
  return pieces;
}

function footerFor(pieces: Piece[], opts: RenderOptions, language: 'vi' | 'en'): string {
  if (!opts.sourcesFooter || opts.flavor !== 'plain') return '';
  const lines = new Map<string, string>();
  for (const p of pieces) if (p.kind === 'tag' && p.url) lines.set(`${p.label} ${p.url}`, `${p.label} ${p.url}`);
  if (lines.size === 0) return '';
  return `\n\n${language === 'en' ? 'Sources' : 'Nguồn'}:\n${[...lines.values()].join('\n')}`;
}

/** Longest prefix of `raw` whose rendering fits `budget`, cut at a word boundary when one is near. */
function cutText(raw: string, budget: number, flavor: Flavor): string {
  let lo = 0;
  let hi = raw.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (renderText(raw.slice(0, mid), flavor).length <= budget) lo = mid;
    else hi = mid - 1;
  }
  let end = lo;
  // Never split a surrogate pair.
  if (end > 0 && HIGH_SURROGATE_RE.test(raw[end - 1]!)) end -= 1;
  const space = raw.slice(0, end).search(LAST_WORD_RE);
  if (end < raw.length && space > end / 2) end = space;
  return raw.slice(0, end);
}

/**
 * Renders pieces within `maxChars`. When the whole does not fit, the cut falls right after the last citation tag
 * that fits, so every kept sentence keeps its citation and no tag is ever split; a note says the answer was shortened.
 */
function fit(pieces: Piece[], opts: RenderOptions, language: 'vi' | 'en'): string {
  const { flavor, maxChars } = opts;
  const whole = pieces.map((p) => renderPiece(p, flavor)).join('').trim() + footerFor(pieces, opts, language);
  if (whole.length <= maxChars) return whole;
  const mark = renderText(language === 'en' ? '\n… (answer shortened)' : '\n… (đã rút gọn)', flavor);
  let best: string | null = null;
  let acc = '';
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    acc += renderPiece(p, flavor);
    if (acc.trim().length + mark.length > maxChars) break;
    if (p.kind !== 'tag') continue;
    const candidate = acc.trim() + mark + footerFor(pieces.slice(0, i + 1), opts, language);
    if (candidate.length <= maxChars) best = candidate;
  }
  if (best !== null) return best;
  // Not even the first cited sentence fits: keep the text before the first tag, cut at a word.
  const firstTag = pieces.findIndex((p) => p.kind === 'tag');
  const lead = (firstTag < 0 ? pieces : pieces.slice(0, firstTag)).map((p) => (p.kind === 'text' ? p.raw : '')).join('').trimStart();
  return renderText(cutText(lead, Math.max(0, maxChars - mark.length), flavor), flavor).trimEnd() + mark;
}

/**
 * Renders a bot reply as platform text: `[n]` markers become citation tags (linked when `publicUrl` is set),
 * text is escaped for the flavor, and the result fits `maxChars` without cutting a citation.
 * @example renderReply({ kind: 'help' }, { flavor: 'plain', maxChars: 4096 }) === HELP_TEXT
 */
export function renderReply(reply: BotReply, opts: RenderOptions): string {
  switch (reply.kind) {
    case 'answer':
      return fit(answerPieces(reply.result, opts.publicUrl), opts, reply.result.language);
    case 'help':
      return fit([{ kind: 'text', raw: HELP_TEXT }], opts, 'vi');
    case 'error':
      return fit([{ kind: 'text', raw: reply.message }], opts, 'vi');
  }
}

/** One citation as the generic webhook returns it: the contract fields plus its tag and viewer link. */
export interface WebhookCitation {
  n: number;
  tag: string;
  docId: string;
  docNumber: string | null;
  docTitle: string;
  section: string;
  /** The citation as a person writes it, when the engine gave one. */
  label?: string;
  quote: string;
  url?: string;
}

/** Structured citations for JSON consumers. */
export function webhookCitations(result: AskResult, publicUrl: string | undefined): WebhookCitation[] {
  return result.citations.map((c) => ({
    n: c.n,
    tag: citationTag(c),
    docId: c.docId,
    docNumber: c.docNumber,
    docTitle: c.docTitle,
    section: c.section,
    ...(c.label ? { label: c.label } : {}),
    quote: c.quote,
    ...(publicUrl ? { url: citationUrl(publicUrl, c) } : {}),
  }));
}
