// Opening the configured index store: the local file store (the Postgres store plugs in here too).
import type { IndexSnapshot } from './ports.ts';
import { openLocalSnapshot } from './local/store.ts';

export { INDEX_FORMAT_VERSION, readManifest, sha256, writeLocalIndex, openLocalSnapshot, LocalSnapshot, type FileEntry, type Manifest, type LocalBuildExtras } from './local/store.ts';

/**
 * Opens the current version of the index as a snapshot. Missing, damaged or incompatible indexes raise an
 * AppError whose one-line message says to run `ingest`.
 * @example const snap = await openSnapshot('index', { embedderId: 'plancite-static' })
 */
export async function openSnapshot(indexDir: string, expect?: { embedderId: string }): Promise<IndexSnapshot> {
  return openLocalSnapshot(indexDir, expect);
}
