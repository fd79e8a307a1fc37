// Opens the configured embedder for an index build: the corpus-trained model lives inside the build, others in MODELS_DIR.
import path from 'node:path';
import { STATIC_MODEL_ID, type Config } from '../config.ts';
import { createEmbedder, type Embedder } from './embedder.ts';

/** Where the embedder's model folder is: the corpus-trained model lives inside the index build. */
export function modelsDirFor(cfg: Config, indexDataDir: string): string {
  return cfg.embedModel === STATIC_MODEL_ID ? path.join(indexDataDir, 'models') : cfg.modelsDir;
}

/** Opens the configured embedder for an index build folder. */
export async function openEmbedder(cfg: Config, indexDataDir: string): Promise<Embedder> {
  return createEmbedder({
    modelsDir: modelsDirFor(cfg, indexDataDir),
    modelId: cfg.embedModel,
    allowRemote: cfg.allowRemoteModels,
    queryPrefix: cfg.queryPrefix,
    passagePrefix: cfg.passagePrefix,
  });
}

/**
 * Opens the configured embedder for a loaded index: the corpus-trained model from the folder the index holds it
 * in (`modelsDir`), any other model from MODELS_DIR.
 */
export async function openEmbedderIn(cfg: Config, indexModelsDir: string | undefined): Promise<Embedder> {
  return createEmbedder({
    modelsDir: cfg.embedModel === STATIC_MODEL_ID ? indexModelsDir ?? path.join(cfg.indexDir, 'models') : cfg.modelsDir,
    modelId: cfg.embedModel,
    allowRemote: cfg.allowRemoteModels,
    queryPrefix: cfg.queryPrefix,
    passagePrefix: cfg.passagePrefix,
  });
}
