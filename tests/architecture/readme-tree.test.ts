// The README's "How it works" names every folder of the tree with its job, and names no folder that is gone.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A list item of "How it works" that opens with the folders or files it describes, e.g. "- `src/text/` — …". */
const FOLDER_ITEM_RE = /^- (`[^`]+`(?:, `[^`]+`)*) — /;
/** A backticked path of such an item, e.g. `src/config.ts` or `data/`. */
const TICKED_PATH_RE = /`([^`]+)`/g;
/** A path a list item may name after a `;` (a second folder on one line), e.g. "; `tests/` — …". */
const SECOND_ITEM_RE = /; `([^`]+\/)` — /g;

/** The folders and source files the "How it works" section gives a job to. */
function namedInReadme(): Set<string> {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('## How it works');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const named = new Set<string>();
  for (const line of section.split('\n')) {
    const m = FOLDER_ITEM_RE.exec(line);
    if (!m) continue;
    for (const t of m[1]!.matchAll(TICKED_PATH_RE)) named.add(t[1]!);
    for (const t of line.matchAll(SECOND_ITEM_RE)) named.add(t[1]!);
  }
  return named;
}

/**
 * The folders of src/ and its top-level source files, and the top-level folders git tracks (not dot-folders; what a
 * run leaves behind, such as test-artifacts/ or .tmp/, is ignored by git and is not part of the tree).
 */
function tree(): string[] {
  const src = readdirSync(path.join(root, 'src')).map((n) => (statSync(path.join(root, 'src', n)).isDirectory() ? `src/${n}/` : `src/${n}`));
  const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n');
  const top = new Set(tracked.filter((f) => f.includes('/')).map((f) => f.slice(0, f.indexOf('/'))));
  return [...src, ...[...top].filter((n) => !n.startsWith('.') && n !== 'src').map((n) => `${n}/`)].sort();
}

describe('README "How it works"', () => {
  it('names the job of every folder of src/ and of the repository, and no folder that does not exist', () => {
    const named = namedInReadme();
    expect(tree().filter((p) => !named.has(p))).toEqual([]);
    expect([...named].filter((p) => !tree().includes(p) && !p.startsWith('src/store/postgres')).sort()).toEqual([]);
  });
});
