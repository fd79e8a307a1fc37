// Command-line interface: ingest, ask, search, obligations, eval, serve, start.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { openEngine, type LoadedEngine } from '../answer/engine.ts';
import { runIngest } from '../ingest/pipeline.ts';
import { readManifest } from '../store/index-store.ts';
import { postgresStoreFor } from '../store/postgres/index.ts';
import { toCsv, toIcs } from '../register/index.ts';
import { CHANNELS, type AskResult, type Channels, type ChatTurn } from '../doc/types.ts';
import { evaluate, formatEval } from './eval.ts';

/** Every run of white space, line breaks included, e.g. `" \n  "` (quotes print on one line). */
const SPACE_RUN_RE = /\s+/g;
/** An ISO calendar date, e.g. `2025-12-31`. */
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const USAGE = `usage: plancite <command> [options]

  ingest [--corpus DIR] [--index DIR]        build or update the index
  ask [--json] [--history FILE] "question"   answer with citations
  ask --json --batch FILE.jsonl              one answer per input line ({"id","question"})
  search [--json] [--k N] [--channels bm25|dense|hybrid] "query"   retrieved passages
  search --json --batch FILE.jsonl           passages per input line (same options)
  obligations [--json] [--doc REF] [--unit NAME] [--kind K] [--due-before YYYY-MM-DD] [--format json|csv|ics]
  eval [--gold FILE]                         retrieval (bm25 / dense / hybrid) and answer metrics on a gold set
  serve [--port N]                           HTTP API + widget
  start                                      ingest when the index is missing, then serve`;

function fail(msg: string, code = 2): never {
  process.stderr.write(`plancite: ${msg}\n`);
  process.exit(code);
}

function readJsonl(file: string): Array<{ id?: string; question: string; history?: ChatTurn[] }> {
  if (!existsSync(file)) fail(`batch file not found: ${file}`);
  const rows: Array<{ id?: string; question: string; history?: ChatTurn[] }> = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      fail(`${file}:${i + 1}: not valid JSON`);
    }
    const r = o as { id?: unknown; question?: unknown; history?: unknown };
    if (typeof r.question !== 'string' || !r.question.trim()) fail(`${file}:${i + 1}: missing "question"`);
    // Optional conversation so far, as in the API: [{"role","content"}, …].
    const history = Array.isArray(r.history)
      ? r.history.filter((t): t is ChatTurn => !!t && (t.role === 'user' || t.role === 'assistant') && typeof t.content === 'string')
      : undefined;
    if (r.history !== undefined && !Array.isArray(r.history)) fail(`${file}:${i + 1}: "history" must be an array of {"role","content"}`);
    rows.push({ id: r.id === undefined ? undefined : String(r.id), question: r.question, history });
  });
  return rows;
}

function printReadable(r: AskResult): void {
  const out: string[] = [];
  out.push(r.refused ? `(no answer) ${r.answer}` : r.answer);
  if (r.citations.length) {
    out.push('', 'Sources:');
    for (const c of r.citations) out.push(`  [${c.n}] ${c.docNumber ?? c.docTitle.slice(0, 80)} §${c.section} — “${c.quote.replace(SPACE_RUN_RE, ' ').slice(0, 300)}” (${c.file})`);
  } else if (r.refused && r.passages.length) {
    out.push('', 'Closest sections:');
    for (const p of r.passages.slice(0, 3)) out.push(`  ${p.docNumber ?? p.docId} §${p.section}: ${p.text.replace(SPACE_RUN_RE, ' ').slice(0, 160)}…`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

function isChannels(x: string): x is Channels {
  return (CHANNELS as readonly string[]).includes(x);
}

async function withEngine(cfg: Config): Promise<LoadedEngine> {
  return openEngine(cfg.indexDir, cfg);
}

/** Oldest Node major plancite runs on (package.json "engines" says the same). */
export const MIN_NODE_MAJOR = 20;

/** Refuses to run on an older Node with one line saying what is needed (instead of a syntax or API error later). */
export function checkNodeVersion(version: string = process.versions.node): string | null {
  const major = Number(version.split('.')[0]);
  return major >= MIN_NODE_MAJOR ? null : `plancite needs Node ${MIN_NODE_MAJOR} or newer; this is Node ${version}`;
}

/** Flags that ask for the usage text wherever they stand (`plancite --help`, `plancite ask -h`). */
const HELP_FLAGS = new Set(['--help', '-h', 'help']);

export async function main(argv: string[]): Promise<void> {
  if (argv.length === 0 || HELP_FLAGS.has(argv[0]!)) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      batch: { type: 'string' },
      history: { type: 'string' },
      k: { type: 'string' },
      channels: { type: 'string' },
      corpus: { type: 'string' },
      index: { type: 'string' },
      gold: { type: 'string' },
      doc: { type: 'string' },
      unit: { type: 'string' },
      kind: { type: 'string' },
      'due-before': { type: 'string' },
      format: { type: 'string' },
      port: { type: 'string' },
      mode: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!command || values.help || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const base = loadConfig();
  const cfg: Config = { ...base, corpusDir: values.corpus ? path.resolve(values.corpus) : base.corpusDir, indexDir: values.index ? path.resolve(values.index) : base.indexDir };
  const question = positionals.join(' ').trim();

  switch (command) {
    case 'ingest': {
      const r = await runIngest(cfg, (m) => process.stderr.write(m + '\n'));
      process.stderr.write(`done: ${r.indexed.length} indexed, ${r.reused.length} unchanged, ${r.failed.length} skipped, ${r.chunks} chunks, ${r.obligations} task records, ${r.seconds.toFixed(1)} s\n`);
      for (const f of r.failed) process.stderr.write(`  skipped ${f.file}: ${f.reason}\n`);
      return;
    }
    case 'ask': {
      const engine = await withEngine(cfg);
      const mode = values.mode === 'llm' || values.mode === 'extractive' ? values.mode : undefined;
      if (values.batch) {
        for (const row of readJsonl(values.batch)) {
          const r = await engine.ask(row.question, { mode, history: row.history });
          process.stdout.write(JSON.stringify({ id: row.id, ...r }) + '\n');
        }
        return;
      }
      if (!question) fail('ask needs a question, e.g. ask "Ai báo cáo kết quả thực hiện Nghị quyết 42?"');
      let history: ChatTurn[] | undefined;
      if (values.history) {
        try {
          history = JSON.parse(readFileSync(values.history, 'utf8')) as ChatTurn[];
          if (!Array.isArray(history)) throw new Error('not an array');
        } catch (e) {
          fail(`--history ${values.history}: expected a JSON array of {"role","content"} (${(e as Error).message})`);
        }
      }
      const r = await engine.ask(question, { history, mode });
      if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
      else printReadable(r);
      return;
    }
    case 'search': {
      const engine = await withEngine(cfg);
      const k = values.k ? Number(values.k) : 10;
      if (!Number.isInteger(k) || k < 1 || k > 100) fail(`--k must be an integer from 1 to 100, got "${values.k}"`);
      const channels = values.channels ?? 'hybrid';
      if (!isChannels(channels)) fail(`--channels must be one of ${CHANNELS.join(', ')}, got "${channels}"`);
      if (values.batch) {
        for (const row of readJsonl(values.batch)) {
          const passages = await engine.searchPassages(row.question, k, { channels, history: row.history });
          process.stdout.write(JSON.stringify({ id: row.id, question: row.question, passages }) + '\n');
        }
        return;
      }
      if (!question) fail('search needs a query');
      const passages = await engine.searchPassages(question, k, { channels });
      if (values.json) process.stdout.write(JSON.stringify({ question, passages }) + '\n');
      else for (const [i, p] of passages.entries()) process.stdout.write(`${i + 1}. ${p.docNumber ?? p.docId} §${p.section} (${p.score})\n   ${p.text.replace(SPACE_RUN_RE, ' ').slice(0, 200)}\n`);
      return;
    }
    case 'obligations': {
      const engine = await withEngine(cfg);
      const dueBefore = values['due-before'];
      if (dueBefore && !ISO_DATE_RE.test(dueBefore)) fail(`--due-before must be YYYY-MM-DD, got "${dueBefore}"`);
      const records = engine.obligations({ doc: values.doc, unit: values.unit, kind: values.kind, dueBefore });
      if (records.length === 0) process.stderr.write(`no task records match${values.doc ? ` --doc "${values.doc}"` : ''}${values.unit ? ` --unit "${values.unit}"` : ''}${values.kind ? ` --kind ${values.kind}` : ''}${dueBefore ? ` --due-before ${dueBefore}` : ''}\n`);
      const format = values.format ?? 'json';
      if (format === 'csv') process.stdout.write(toCsv(records));
      else if (format === 'ics') process.stdout.write(toIcs(records, engine.documents()));
      else if (format === 'json') process.stdout.write(JSON.stringify(records, null, values.json ? 0 : 2) + '\n');
      else fail(`--format must be json, csv or ics, got "${format}"`);
      return;
    }
    case 'eval': {
      const engine = await withEngine(cfg);
      const gold = values.gold ?? path.resolve('tests/eval/gold.jsonl');
      const report = await evaluate(engine, gold);
      process.stdout.write(formatEval(report) + '\n');
      return;
    }
    case 'serve':
    case 'start': {
      const built = cfg.databaseUrl ? (await (await postgresStoreFor(cfg.databaseUrl)).activeVersion()) !== null : !!(await readManifest(cfg.indexDir));
      if (command === 'start' && !built) {
        process.stderr.write(`no index at ${cfg.indexDir}: building it from ${cfg.corpusDir}…\n`);
        await runIngest(cfg, (m) => process.stderr.write(m + '\n'));
      }
      const { startServer } = await import('../server/index.ts');
      const port = values.port ? Number(values.port) : undefined;
      await startServer({ indexDir: cfg.indexDir, port, config: cfg });
      return;
    }
    default:
      fail(`unknown command "${command}"\n${USAGE}`);
  }
}

const isMain = process.argv[1] && /main\.ts$|plancite(\.mjs)?$/.test(process.argv[1]);
if (isMain) {
  const tooOld = checkNodeVersion();
  if (tooOld) fail(tooOld, 1);
  main(process.argv.slice(2)).catch((e: unknown) => {
    if (e instanceof AppError) fail(e.message, 1);
    fail(e instanceof Error ? e.message : String(e), 1);
  });
}
