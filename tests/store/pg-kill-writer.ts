// Child process of postgres.test.ts: writes the fixture build into DATABASE_URL and stops just before the
// switch, inside the open transaction, announcing it on stdout so that the test can kill it there.
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { writeVersion } from '../../src/store/postgres/writer.ts';
import { fixtureBuild } from './fixture-build.ts';

const url = process.argv[2]!;
const store = await openPostgresStore(url, { poolSize: 2 });
const build = await fixtureBuild();
await writeVersion(store.pool, { ...build, docs: build.docs.slice(0, 2), chunks: build.chunks.filter((c) => build.docs.slice(0, 2).some((d) => d.meta.id === c.docId)), vectors: build.vectors.slice(0, build.chunks.filter((c) => build.docs.slice(0, 2).some((d) => d.meta.id === c.docId)).length * build.embedder.dim) }, {
  url,
  beforeSwitch: async () => {
    process.stdout.write('switching\n');
    await new Promise(() => {}); // killed here
  },
});
