// Public surface of the embedding stage: train the static model, load any model, adapt it to LangChain.
export { trainStaticModel, corpusPairs, embedStatic, DEFAULT_WINDOW, DEFAULT_MIN_COUNT, type TrainStaticModelOptions, type TrainingPair, type TrainedStaticModel } from './train.ts';
export {
  createEmbedder,
  toLangChainEmbeddings,
  DEFAULT_BATCH_SIZE,
  type Embedder,
  type EmbedderConfig,
} from './embedder.ts';
export { trainingSample, TRAIN_MAX_CHARS } from './sample.ts';
export { openEmbedder, openEmbedderIn, modelsDirFor } from './open.ts';
