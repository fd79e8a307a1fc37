// Counts regex literals written inside function bodies, per file of src/ (module-level constants are not counted).
// Run `npx tsx tests/architecture/regex-census.ts [folder…]` for the table; tests/architecture/regexes.test.ts uses it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface InlineRegex {
  file: string;
  line: number;
  text: string;
}

/** Regex literals of one TypeScript source that stand inside a function, method, accessor or arrow function. */
export function inlineRegexes(file: string, source: string): InlineRegex[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: InlineRegex[] = [];
  const visit = (node: ts.Node, inFunction: boolean): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral && inFunction) {
      out.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: node.getText(sf) });
    }
    const nowIn = inFunction || ts.isFunctionLike(node);
    ts.forEachChild(node, (child) => visit(child, nowIn));
  };
  visit(sf, false);
  return out;
}

/** Every .ts file below `dir` (or `dir` itself when it is a file), relative paths, sorted. */
export function tsFiles(root: string, dir: string): string[] {
  const abs = path.join(root, dir);
  if (!statSync(abs).isDirectory()) return dir.endsWith('.ts') ? [dir] : [];
  return readdirSync(abs).sort().flatMap((name) => tsFiles(root, path.join(dir, name)));
}

/** Inline regex literals of every .ts file below the given folders or files. */
export function census(root: string, dirs: string[]): InlineRegex[] {
  return dirs.flatMap((d) => tsFiles(root, d)).flatMap((f) => inlineRegexes(f, readFileSync(path.join(root, f), 'utf8')));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  const args = process.argv.slice(2);
  const verbose = args.includes('-v');
  const dirs = args.filter((a) => a !== '-v');
  const hits = census(root, dirs.length ? dirs : ['src']);
  const perFile = new Map<string, number>();
  for (const h of hits) perFile.set(h.file, (perFile.get(h.file) ?? 0) + 1);
  const perFolder = new Map<string, number>();
  for (const [f, n] of perFile) {
    const folder = path.dirname(f);
    perFolder.set(folder, (perFolder.get(folder) ?? 0) + n);
  }
  for (const [f, n] of [...perFile].sort()) console.log(`${String(n).padStart(4)}  ${f}`);
  console.log('-- per folder');
  for (const [f, n] of [...perFolder].sort()) console.log(`${String(n).padStart(4)}  ${f}/`);
  console.log(`${String(hits.length).padStart(4)}  total`);
  if (verbose) for (const h of hits) console.log(`${h.file}:${h.line}  ${h.text}`);
}
