// The Postgres + pgvector store on PGlite (through the db:dev socket server): the shared contract, then what
// is specific to a database — versions and their switch, a writer killed midway, garbage collection, schema
// and connection errors, and the state servers share.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevDatabase, type DevDatabase } from '../../scripts/db-dev.ts';
import { collectGarbage, openPool, openPostgresStore, SCHEMA, type PostgresStore } from '../../src/store/postgres/index.ts';
import { createMemorySharedState, type SharedState } from '../../src/store/shared-state.ts';
import type { IndexBuild } from '../../src/store/ports.ts';
import { runStoreContract } from './contract.ts';
import { fixtureBuild, ROOT } from './fixture-build.ts';

let contractDb: DevDatabase | undefined;
let contractStore: PostgresStore | undefined;
runStoreContract('postgres', {
  async open(build) {
    contractDb = await startDevDatabase({ port: 0 });
    contractStore = await openPostgresStore(contractDb.url);
    await contractStore.write(build);
    return contractStore.snapshot();
  },
  async cleanup() {
    await contractStore?.close();
    await contractDb?.close();
  },
});

/** The build without its last document (a second, different version). */
function smaller(build: IndexBuild): IndexBuild {
  const keep = new Set(build.docs.slice(0, -1).map((d) => d.meta.id));
  const idx = build.chunks.map((c, i) => (keep.has(c.docId) ? i : -1)).filter((i) => i >= 0);
  const dim = build.embedder.dim;
  const vectors = new Float32Array(idx.length * dim);
  idx.forEach((i, j) => vectors.set(build.vectors.subarray(i * dim, (i + 1) * dim), j * dim));
  return { ...build, docs: build.docs.filter((d) => keep.has(d.meta.id)), chunks: idx.map((i) => build.chunks[i]!), vectors };
}

describe('postgres store: versions', () => {
  let dev: DevDatabase;
  let store: PostgresStore;
  let build: IndexBuild;
  beforeAll(async () => {
    dev = await startDevDatabase({ port: 0 });
    store = await openPostgresStore(dev.url);
    build = await fixtureBuild();
  });
  afterAll(async () => {
    await store?.close();
    await dev?.close();
  });

  it('says to run ingest when the database holds no build', async () => {
    expect(await store.activeVersion()).toBeNull();
    await expect(store.snapshot()).rejects.toThrow(/^no index in the database at 127\.0\.0\.1:\d+\/postgres — run `npm run cli -- ingest`[^\n]*$/);
  });

  it('switches readers to a new version while an opened snapshot keeps answering; GC drops versions retired long ago', async () => {
    const v1 = await store.write(build);
    const s1 = await store.snapshot();
    expect(s1.info.version).toBe(v1);
    const v2 = await store.write(smaller(build));
    expect(await store.activeVersion()).toBe(v2);
    const s2 = await store.snapshot();
    expect(s2.documents.metas()).toHaveLength(build.docs.length - 1);
    // The old snapshot still searches its own tables (the retired version is kept through the grace period).
    const q = { exact: [], folded: [{ term: 'bao_cao', weight: 1 }], diacritics: false };
    expect((await s1.keywords.search(q, 3)).length).toBe(3);
    const v3 = await store.write(build);
    // With no grace, everything but the active and the most recently retired version goes.
    expect(await collectGarbage(store.pool, 0)).toEqual([v1]);
    const left = await store.pool.query(`SELECT id::text AS id FROM ${SCHEMA}.versions ORDER BY id`);
    expect(left.rows.map((r) => r.id)).toEqual([v2, v3]);
    const tables = await store.pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = '${SCHEMA}' AND tablename ~ '^(chunks|terms)_' ORDER BY 1`);
    expect(tables.rows.map((r) => r.tablename)).toEqual([`chunks_${v2}`, `chunks_${v3}`, `terms_${v2}`, `terms_${v3}`]);
    const docs = await store.pool.query(`SELECT DISTINCT version::text AS v FROM ${SCHEMA}.documents ORDER BY 1`);
    expect(docs.rows.map((r) => r.v)).toEqual([v2, v3]);
  });

  it('a writer killed inside its transaction leaves the previous version active and no trace of its own', async () => {
    const before = await store.activeVersion();
    const versionsBefore = (await store.pool.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.versions`)).rows[0].n;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/store/pg-kill-writer.ts'), dev.url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('switching') && resolve());
      child.on('exit', (code) => reject(new Error(`writer exited (${code}) before the switch: ${err}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(await store.activeVersion()).toBe(before);
    expect((await store.pool.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.versions`)).rows[0].n).toBe(versionsBefore);
    const snap = await store.snapshot();
    expect(snap.info.version).toBe(before);
    expect(snap.documents.metas()).toHaveLength(build.docs.length);
  }, 60_000);

  it('refuses a database of another schema version with a message to run ingest', async () => {
    await store.pool.query(`UPDATE ${SCHEMA}.schema_info SET value = '999' WHERE key = 'schema_version'`);
    try {
      await expect(store.snapshot()).rejects.toThrow(/holds plancite schema 999, this version reads 1 — run `npm run cli -- ingest`/);
    } finally {
      await store.pool.query(`UPDATE ${SCHEMA}.schema_info SET value = '1' WHERE key = 'schema_version'`);
    }
  });

  it('names the host and what to check when the database is unreachable', async () => {
    const err = await openPool('postgresql://u:secret@127.0.0.1:9/plancite').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^database at 127\.0\.0\.1:9\/plancite is unreachable \(ECONNREFUSED\) — check that Postgres is running there/);
    expect((err as Error).message).not.toContain('secret');
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('npm run db:dev', () => {
  it('starts PGlite with pgvector on a port, prints the DATABASE_URL, keeps data in --data and stops on SIGTERM', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'plancite-dbdev-'));
    const run = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/db-dev.ts'), '--port', '0', '--data', tmp, '-m', '4'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const url = new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          const m = /^DATABASE_URL=(postgresql:\/\/\S+)$/m.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`db:dev exited (${code})`)));
      });
      return { child, url, exit: new Promise<number | null>((r) => child.on('exit', (code) => r(code))) };
    };
    try {
      const first = run();
      const pool = new pg.Pool({ connectionString: await first.url, max: 3 });
      await pool.query('CREATE TABLE kept (v vector(3))');
      await pool.query(`INSERT INTO kept VALUES ('[1,0,0]'), ('[0,1,0]')`);
      // Several connections at once (the multiplexer), each answering.
      const n = await Promise.all([1, 2, 3].map(() => pool.query(`SELECT count(*)::int AS n FROM kept WHERE v <=> '[1,0,0]' < 0.5`)));
      expect(n.map((r) => r.rows[0].n)).toEqual([1, 1, 1]);
      await pool.end();
      first.child.kill('SIGTERM');
      expect(await first.exit).toBe(0);
      const second = run();
      const again = new pg.Pool({ connectionString: await second.url, max: 1 });
      expect((await again.query('SELECT count(*)::int AS n FROM kept')).rows[0].n).toBe(2);
      await again.end();
      second.child.kill('SIGTERM');
      expect(await second.exit).toBe(0);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});

/** The behaviour every SharedState implementation must have (one instance, or two sharing one database). */
function sharedStateCases(name: string, pair: () => Promise<[SharedState, SharedState]>): void {
  describe(`shared state: ${name}`, () => {
    let a: SharedState;
    let b: SharedState;
    beforeAll(async () => {
      [a, b] = await pair();
    });
    it('enforces one token bucket across instances and refills it with time', async () => {
      const t = 1_000_000;
      const results: number[] = [];
      for (let i = 0; i < 6; i++) results.push(await (i % 2 ? b : a).takeToken('ip:1', 4, t));
      expect(results.slice(0, 4)).toEqual([0, 0, 0, 0]);
      expect(results[4]).toBe(15); // one token per 15 s at 4/min
      expect(await a.takeToken('ip:2', 4, t)).toBe(0); // other clients are not affected
      expect(await b.takeToken('ip:1', 4, t + 15_000)).toBe(0);
      expect(await a.takeToken('ip:1', 0, t)).toBe(0); // 0 = no limit
      // Peeking spends nothing: an emptied bucket reports its wait on either instance, a fresh one 0.
      expect(await b.peekToken('ip:1', 4, t + 15_000)).toBe(15);
      expect(await a.peekToken('ip:1', 4, t + 15_000)).toBe(15);
      expect(await a.peekToken('ip:1', 4, t + 30_000)).toBe(0);
      expect(await b.peekToken('ip:9', 4, t)).toBe(0);
    });
    it('continues a conversation on either instance, bounded in turns and age', async () => {
      const t = 2_000_000;
      await a.appendHistory('tg:1', [{ role: 'user', content: 'q1' }, { role: 'assistant', content: 'a1' }], { maxTurns: 4, ttlMs: 60_000, nowMs: t });
      await b.appendHistory('tg:1', [{ role: 'user', content: 'q2' }, { role: 'assistant', content: 'a2' }], { maxTurns: 4, ttlMs: 60_000, nowMs: t + 1000 });
      await a.appendHistory('tg:1', [{ role: 'user', content: 'q3' }, { role: 'assistant', content: 'a3' }], { maxTurns: 4, ttlMs: 60_000, nowMs: t + 2000 });
      expect((await b.history('tg:1', 60_000, t + 3000)).map((x) => x.content)).toEqual(['q2', 'a2', 'q3', 'a3']);
      expect(await a.history('tg:1', 60_000, t + 70_000)).toEqual([]);
      await b.appendHistory('tg:1', [{ role: 'user', content: 'q4' }, { role: 'assistant', content: 'a4' }], { maxTurns: 4, ttlMs: 60_000, nowMs: t + 70_000 });
      expect((await a.history('tg:1', 60_000, t + 70_000)).map((x) => x.content)).toEqual(['q4', 'a4']);
      expect(await a.history('nobody', 60_000, t)).toEqual([]);
    });
    it('accepts a nonce once on any instance until it expires', async () => {
      const t = 3_000_000;
      expect(await a.claimNonce('slack:X1', 60_000, t)).toBe(true);
      expect(await b.claimNonce('slack:X1', 60_000, t + 10)).toBe(false);
      expect(await a.claimNonce('slack:X1', 60_000, t + 20)).toBe(false);
      expect(await b.claimNonce('slack:X2', 60_000, t + 20)).toBe(true);
      expect(await b.claimNonce('slack:X1', 60_000, t + 61_000)).toBe(true);
    });
  });
}

sharedStateCases('memory', async () => {
  const s = createMemorySharedState();
  return [s, s];
});

let sharedDb: DevDatabase | undefined;
const sharedStores: PostgresStore[] = [];
sharedStateCases('postgres (two servers)', async () => {
  sharedDb = await startDevDatabase({ port: 0 });
  for (let i = 0; i < 2; i++) sharedStores.push(await openPostgresStore(sharedDb.url, { poolSize: 2 }));
  return [await sharedStores[0]!.sharedState(), await sharedStores[1]!.sharedState()];
});
afterAll(async () => {
  for (const s of sharedStores) await s.close();
  await sharedDb?.close();
});
