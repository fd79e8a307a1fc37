// The local file store: the shared contract, then what is specific to files (checksums, bad builds, atomic swap).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLocalSnapshot, readManifest, writeLocalIndex } from '../../src/store/index-store.ts';
import { runStoreContract } from './contract.ts';
import { fixtureBuild } from './fixture-build.ts';

let root: string | undefined;
runStoreContract('local', {
  async open(build) {
    root = await mkdtemp(path.join(os.tmpdir(), 'plancite-local-store-'));
    await writeLocalIndex(root, build, { files: {} });
    return openLocalSnapshot(root);
  },
  async cleanup() {
    if (root) await rm(root, { recursive: true, force: true });
  },
});

describe('local store files', () => {
  it('refuses a damaged or wrongly shaped build with one line saying to run ingest', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'plancite-local-bad-'));
    try {
      const build = await fixtureBuild();
      const m = await writeLocalIndex(dir, build, { files: {} });
      const data = path.join(dir, m.dataDir);
      const oneLine = /^[^\n]*run `npm run cli -- ingest`[^\n]*$/;
      // A flipped byte in a postings file: caught by its checksum.
      const kw = await readFile(path.join(data, 'keywords.bin'));
      kw[kw.length - 5]! ^= 0xff;
      await writeFile(path.join(data, 'keywords.bin'), kw);
      await expect(openLocalSnapshot(dir)).rejects.toThrow(/keywords\.bin does not match its checksum/);
      await expect(openLocalSnapshot(dir)).rejects.toThrow(oneLine);
      kw[kw.length - 5]! ^= 0xff;
      await writeFile(path.join(data, 'keywords.bin'), kw);
      await openLocalSnapshot(dir);
      // A flipped byte in the vector graph, which is read on the first vector search: the open succeeds and
      // that search fails with the same one line.
      const graphFile = path.join(data, 'vectors.hnsw');
      const graph = await readFile(graphFile);
      const flipped = Buffer.from(graph);
      flipped[flipped.length >> 1]! ^= 0xff;
      await writeFile(graphFile, flipped);
      const lazy = await openLocalSnapshot(dir);
      const v = new Float32Array(build.embedder.dim).fill(1);
      await expect(lazy.vectors.search(v, 3)).rejects.toThrow(/vectors\.hnsw does not match its checksum/);
      await expect(lazy.vectors.search(v, 3)).rejects.toThrow(oneLine);
      await lazy.close();
      await writeFile(graphFile, graph);
      expect(await (await openLocalSnapshot(dir)).vectors.search(v, 3)).toHaveLength(3);
      // Valid JSON of the wrong shape, with a matching checksum (a build written by something else).
      const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
      const bad = JSON.stringify({ docs: [] });
      await writeFile(path.join(data, 'register.json'), bad);
      manifest.checksums['register.json'] = (await import('../../src/store/index-store.ts')).sha256(bad);
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      await expect(openLocalSnapshot(dir)).rejects.toThrow(oneLine);
      // A manifest of the wrong shape, and one of another format version.
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, counts: 'many' }));
      await expect(openLocalSnapshot(dir)).rejects.toThrow(oneLine);
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: 3 }));
      await expect(openLocalSnapshot(dir)).rejects.toThrow(/format 3.*ingest/);
      await expect(readManifest(dir)).rejects.toThrow(oneLine);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
