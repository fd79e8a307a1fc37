// The load-time check of an index build: an engine that opens but cannot answer is refused with one line.
import type { Catalog } from '../answer/engine.ts';
import type { Engine } from '../doc/types.ts';
import { AppError } from '../errors.ts';

/**
 * Exercises a freshly opened engine the way requests will (documents, a document, search, ask, the register), with
 * a probe taken from the index itself. A build whose files parse but have the wrong shape fails here, at load,
 * instead of turning every request into a 500 while /healthz says ok.
 * @throws AppError('index_corrupt') with one line that says to run ingest.
 */
export async function checkEngine(engine: Engine, indexDir: string): Promise<void> {
  return check(engine, indexDir, true);
}

/** The same check without search and ask, for a catalog whose questions are answered by workers that check their own engines. */
export async function checkCatalog(catalog: Catalog, indexDir: string): Promise<void> {
  return check(catalog, indexDir, false);
}

async function check(engine: Catalog & Partial<Pick<Engine, 'ask' | 'search'>>, indexDir: string, answers: boolean): Promise<void> {
  try {
    const info = engine.info();
    const docs = engine.documents();
    if (!Array.isArray(docs) || docs.length === 0 || docs.length !== info.documents) throw new Error('the document list is empty or does not match the manifest');
    const first = engine.document(docs[0]!.id);
    if (!first || typeof first.text !== 'string') throw new Error(`document ${docs[0]!.id} cannot be read`);
    if (answers && engine.search && engine.ask) {
      const probe = (docs[0]!.title || first.text.slice(0, 80)).slice(0, 80);
      const passages = await engine.search(probe, 3);
      if (!Array.isArray(passages)) throw new Error('search returned no list');
      const answer = await engine.ask(probe);
      if (typeof answer?.answer !== 'string') throw new Error('ask returned no answer');
    }
    if (!Array.isArray(engine.obligations({}))) throw new Error('the task register cannot be read');
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new AppError('index_corrupt', `the index in ${indexDir} cannot be used (${reason.slice(0, 200)}); run \`plancite ingest\` to rebuild it`, { cause: e });
  }
}

/**
 * Runs the answer paths once in each language before the engine serves (regexes compiled, glossary and label
 * tables loaded, code optimised), so the first burst of real questions does not pay for them on the clock.
 * Questions are built from the index's own first document; their answers are discarded.
 */
export async function warmEngine(engine: Engine): Promise<void> {
  const first = engine.documents()[0];
  if (!first) return;
  const name = first.number ?? first.title ?? first.id;
  for (const q of [`${name}: cơ quan nào chủ trì, báo cáo trước ngày nào?`, `Which unit leads ${name}, and by when must it report?`]) {
    await engine.search(q, 10);
    await engine.ask(q);
  }
}
