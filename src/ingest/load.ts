// File loading (interim: UTF-8 text only; the full loader with .docx/.pdf and legacy encodings replaces this).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface LoadedFile {
  format: 'txt' | 'md' | 'docx' | 'pdf';
  text: string;
  encoding?: string;
  warnings: string[];
}

export class LoadError extends Error {
  constructor(readonly code: 'empty' | 'binary' | 'no-text-layer' | 'encoding' | 'unsupported' | 'read-failed', readonly file: string, message: string, options?: { cause?: unknown }) {
    super(`${path.basename(file)}: ${message}`, options);
    this.name = 'LoadError';
  }
}

export async function listCorpusFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listCorpusFiles(p)));
    else if (/\.(txt|md|docx|pdf)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

export async function loadFile(absPath: string): Promise<LoadedFile> {
  const buf = await readFile(absPath);
  if (buf.includes(0)) throw new LoadError('binary', absPath, 'binary file (contains NUL bytes)');
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.trim()) throw new LoadError('empty', absPath, 'empty file');
  return { format: absPath.endsWith('.md') ? 'md' : 'txt', text, encoding: 'utf-8', warnings: [] };
}
