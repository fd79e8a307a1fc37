// Builds a real index from a corpus folder with the CLI (as a user would) into a temp dir, for tests over real HTTP.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Runs `tsx src/cli/main.ts ingest --corpus <corpus> --index <indexDir>`; creates a temp index dir when none is given. */
export async function ingest(corpus = path.join(ROOT, 'corpus'), indexDir = mkdtempSync(path.join(tmpdir(), 'plancite-server-idx-'))): Promise<string> {
  await run(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/main.ts', 'ingest', '--corpus', corpus, '--index', indexDir], { cwd: ROOT });
  return indexDir;
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
