// The layer rules of DESIGN.md hold: no import from a lower layer to a higher one, no cycles (dependency-cruiser).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('architecture', () => {
  it('src/ keeps the layers of DESIGN.md and has no import cycles', () => {
    let out = '';
    let code = 0;
    try {
      out = execFileSync(process.execPath, [path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: root, encoding: 'utf8' });
    } catch (e) {
      const err = e as { status: number; stdout: string };
      code = err.status;
      out = err.stdout;
    }
    expect(out).toMatch(/no dependency violations found/);
    expect(code).toBe(0);
  }, 60_000);

  it('no module outside src/config reads process.env', () => {
    const hits = execFileSync('grep', ['-rln', 'process\\.env', 'src'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(hits.filter((f) => !f.startsWith('src/config')).sort()).toEqual(KNOWN_ENV_READERS);
  });

  it('bench/ and scripts/ read no variable by name: they hand the whole environment to loadConfig or a child process', () => {
    let out = '';
    try {
      out = execFileSync('grep', ['-rnE', 'process\\.env(\\.|\\[)', 'bench', 'scripts'], { cwd: root, encoding: 'utf8' });
    } catch (e) {
      // grep exits 1 when nothing matches.
      if ((e as { status?: number }).status !== 1) throw e;
    }
    const lines = out.split('\n').filter(Boolean);
    // Doc comments may show how a caller sets a variable.
    expect(lines.filter((l) => !/^[^:]+:\d+:\s*(?:\*|\/\/)/.test(l))).toEqual([]);
  });
});

/** Modules that still read the environment themselves; the one-schema configuration work empties this list. */
const KNOWN_ENV_READERS: string[] = [];
