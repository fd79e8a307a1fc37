// Evaluation on a gold set: retrieval (recall@5, MRR@10) and answers (facts, refusals, citation validity).
import { readFileSync } from 'node:fs';
import type { LoadedEngine } from '../answer/engine.ts';
import { CHANNELS, type Channels, type ChatTurn } from '../doc/types.ts';
import { hasNoDiacritics, normalizeForMatch } from '../text/normalize.ts';

export interface GoldItem {
  id: string;
  question: string;
  evidence: string;
  answer_facts: string[];
  type: string;
  lang?: string;
  /** Earlier turns for a follow-up item (as in `ask --batch`). */
  history?: ChatTurn[];
}

interface Bucket {
  n: number;
  hits5: number;
  mrr: number;
}

export interface EvalReport {
  n: number;
  /** Retrieval alone (`search`, hybrid: what users get), per slice. */
  retrieval: Record<string, Bucket>;
  /** Retrieval alone per channel (ablation: `search --channels`), per slice; `hybrid` is `retrieval`. */
  channels: Record<Channels, Record<string, Bucket>>;
  /** The passages `ask` returns (supporting passages first), per slice. */
  askRetrieval: Record<string, Bucket>;
  facts: number;
  answerable: number;
  refusals: { correct: number; total: number };
  falseRefusals: number;
  citations: { valid: number; total: number };
  misses: string[];
  msPerQuestion: number;
}

export function loadGold(file: string): GoldItem[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as GoldItem);
}

/** Runs every gold question through `ask` and scores it with the reference scorer's definitions. */
export async function evaluate(engine: LoadedEngine, goldFile: string): Promise<EvalReport> {
  const gold = loadGold(goldFile);
  const hybrid: Record<string, Bucket> = {};
  const rep: EvalReport = { n: gold.length, retrieval: hybrid, channels: { bm25: {}, dense: {}, hybrid }, askRetrieval: {}, facts: 0, answerable: 0, refusals: { correct: 0, total: 0 }, falseRefusals: 0, citations: { valid: 0, total: 0 }, misses: [], msPerQuestion: 0 };
  const bump = (key: string, rank: number | null, table: Record<string, Bucket> = rep.retrieval) => {
    const b = (table[key] ??= { n: 0, hits5: 0, mrr: 0 });
    b.n++;
    if (rank !== null) {
      b.mrr += 1 / rank;
      if (rank <= 5) b.hits5++;
    }
  };
  const t0 = performance.now();
  for (const g of gold) {
    const a = await engine.ask(g.question, { history: g.history });
    for (const c of a.citations) {
      rep.citations.total++;
      const sec = engine.section(c.docId, c.section);
      if (sec && sec.text.includes(c.quote)) rep.citations.valid++;
      else rep.misses.push(`${g.id}: citation [${c.n}] quote is not verbatim in ${c.docId} §${c.section}`);
    }
    if (g.type === 'unanswerable') {
      rep.refusals.total++;
      if (a.refused) rep.refusals.correct++;
      else rep.misses.push(`${g.id}: should refuse`);
      continue;
    }
    rep.answerable++;
    if (a.refused) {
      rep.falseRefusals++;
      rep.misses.push(`${g.id}: refused`);
    }
    const ev = normalizeForMatch(g.evidence);
    const rankIn = (ps: Array<{ text: string }>) => {
      const idx = ps.slice(0, 10).findIndex((p) => normalizeForMatch(p.text).includes(ev));
      return idx >= 0 ? idx + 1 : null;
    };
    const ranks = {} as Record<Channels, number | null>;
    for (const ch of CHANNELS) ranks[ch] = rankIn(await engine.searchPassages(g.question, 10, { channels: ch, history: g.history }));
    const rank = ranks.hybrid;
    const askRank = rankIn(a.passages);
    if (rank === null || rank > 5) rep.misses.push(`${g.id}: search evidence ${rank === null ? 'not in top 10' : `at rank ${rank}`}`);
    if (askRank === null || askRank > 5) rep.misses.push(`${g.id}: ask evidence ${askRank === null ? 'not in top 10' : `at rank ${askRank}`}`);
    const lang = g.lang ?? a.language;
    const keys = ['all', `type:${g.type}`, `lang:${lang}`, ...(lang === 'vi' && hasNoDiacritics(g.question) ? ['vi-no-diacritics'] : [])];
    for (const k of keys) {
      for (const ch of CHANNELS) bump(k, ranks[ch], rep.channels[ch]);
      bump(k, askRank, rep.askRetrieval);
    }
    const hay = [normalizeForMatch(a.answer), ...a.citations.map((c) => normalizeForMatch(c.quote))].join(' \u241e ');
    const lacking = g.answer_facts.filter((f) => !hay.includes(normalizeForMatch(f)));
    if (lacking.length === 0) rep.facts++;
    else rep.misses.push(`${g.id}: facts missing ${JSON.stringify(lacking)}`);
  }
  rep.msPerQuestion = (performance.now() - t0) / Math.max(1, gold.length);
  return rep;
}

export function formatEval(r: EvalReport): string {
  const lines: string[] = [];
  const pct = (x: number, n: number) => (n ? (x / n).toFixed(2) : 'n/a');
  lines.push(`questions: ${r.n} (${r.answerable} answerable, ${r.refusals.total} unanswerable), ${r.msPerQuestion.toFixed(1)} ms/question`);
  const cell = (b: Bucket | undefined) => (b ? `${pct(b.hits5, b.n).padStart(6)}  ${pct(b.mrr, b.n).padStart(6)}` : '   n/a     n/a');
  lines.push(`                      ${[...CHANNELS.map((c) => `search ${c}`), 'ask passages'].map((h) => h.padEnd(18)).join('')}`);
  lines.push(`retrieval           n ${[...CHANNELS, 'ask'].map(() => 'recall@5  mrr@10  ').join('')}`);
  for (const [k, b] of Object.entries(r.retrieval).sort()) {
    const cols = [...CHANNELS.map((c) => r.channels[c][k]), r.askRetrieval[k]].map(cell);
    lines.push(`  ${k.padEnd(18)}${String(b.n).padStart(3)} ${cols.join('    ')}`);
  }
  lines.push(`facts: ${pct(r.facts, r.answerable)}  refusal: ${pct(r.refusals.correct, r.refusals.total)}  false refusals: ${r.falseRefusals}  citation validity: ${pct(r.citations.valid, r.citations.total)} (${r.citations.valid}/${r.citations.total})`);
  if (r.misses.length) {
    lines.push('misses:');
    for (const m of r.misses) lines.push(`  ${m}`);
  }
  return lines.join('\n');
}
