// Loads any embedding model (the corpus-trained static one or a real one like multilingual-e5) through Transformers.js.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { AutoTokenizer, env, pipeline } from '@xenova/transformers';
import onnxProto from 'onnx-proto';
import { AppError } from '../errors.ts';

/** An E5 model id (they want `query: ` / `passage: ` prefixes), e.g. `Xenova/multilingual-e5-small`. */
const E5_MODEL_RE = /e5/i;
/** A path separator, e.g. the `/` of `Xenova/multilingual-e5-small`. */
const PATH_SEPARATOR_RE = /[\\/]/;

/** Texts per forward pass in embedDocuments; batches pad to their longest text, so small keeps memory flat. */
export const DEFAULT_BATCH_SIZE = 16;
/** Text embedded once at load time to discover the output dimension. */
const PROBE_TEXT = 'kế hoạch';

/** One embedding model: unit-length vectors of length `dim` (all zeros when no token of the text is known). */
export interface Embedder {
  /** The model id it was created with (recorded in the index manifest). */
  id: string;
  dim: number;
  /** Prefixes in effect (recorded in the manifest so the index is queried the way it was built). */
  queryPrefix?: string;
  passagePrefix?: string;
  embedDocuments(texts: string[]): Promise<number[][]>;
  embedQuery(text: string): Promise<number[]>;
}

/** Options of {@link createEmbedder}. */
export interface EmbedderConfig {
  /** Folder holding model folders (`<modelsDir>/<modelId>/config.json …`). */
  modelsDir: string;
  /** Folder name under modelsDir, e.g. `plancite-static` or `Xenova/multilingual-e5-small`. */
  modelId: string;
  /** Let Transformers.js download a model missing from modelsDir (default false: offline). */
  allowRemote?: boolean;
  /** Prepended to queries; default `query: ` for e5 models, else empty. */
  queryPrefix?: string;
  /** Prepended to documents; default `passage: ` for e5 models, else empty. */
  passagePrefix?: string;
  /** Texts per forward pass; default {@link DEFAULT_BATCH_SIZE}. */
  batchSize?: number;
  /**
   * For a static model (an ONNX graph that is one Gather from an embedding table), embed by looking rows up
   * directly after the model's own tokenizer — the same vectors as the pipeline, far faster. Default true.
   */
  staticLookup?: boolean;
}

/** The part of a Transformers.js tokenizer call used here. */
type Tokenize = (text: string, opts: { truncation: boolean }) => { input_ids: { data: ArrayLike<bigint | number> } };

/** An embedding table read from a one-Gather ONNX graph. */
interface StaticTable {
  table: Float32Array;
  vocabSize: number;
  dim: number;
}

/**
 * Reads the embedding table when `onnx/model.onnx` is a single `Gather(table, input_ids)` producing
 * `last_hidden_state` (a static embedding model); null for any other graph.
 */
async function readStaticTable(folder: string): Promise<StaticTable | null> {
  const file = path.join(folder, 'onnx', 'model.onnx');
  if (!existsSync(file)) return null;
  const { onnx } = onnxProto;
  let model;
  try {
    model = onnx.ModelProto.decode(await readFile(file));
  } catch {
    return null;
  }
  const g = model.graph;
  const node = g?.node?.length === 1 ? g.node[0]! : null;
  if (!g || !node || node.opType !== 'Gather' || node.output?.[0] !== 'last_hidden_state' || node.input?.[1] !== 'input_ids') return null;
  if ((node.attribute ?? []).some((a) => a.name === 'axis' && Number(a.i ?? 0) !== 0)) return null;
  const init = g.initializer?.find((t) => t.name === node.input![0]);
  if (!init || init.dataType !== onnx.TensorProto.DataType.FLOAT || init.dims?.length !== 2) return null;
  const vocabSize = Number(init.dims[0]);
  const dim = Number(init.dims[1]);
  let table: Float32Array;
  if (init.rawData && init.rawData.length === vocabSize * dim * 4) {
    table = new Float32Array(vocabSize * dim);
    const view = new DataView(init.rawData.buffer, init.rawData.byteOffset, init.rawData.byteLength);
    for (let i = 0; i < table.length; i++) table[i] = view.getFloat32(i * 4, true);
  } else if (init.floatData && init.floatData.length === vocabSize * dim) {
    table = Float32Array.from(init.floatData);
  } else return null;
  return { table, vocabSize, dim };
}

/**
 * Mean of the table rows of a text's token ids, computed exactly as Transformers.js mean pooling does
 * (float64 sum in token order, divided by the token count, stored as float32), so both paths agree bit for bit.
 */
function poolRows(t: StaticTable, ids: ArrayLike<bigint | number>): Float32Array {
  const out = new Float32Array(t.dim);
  const n = ids.length;
  if (n === 0) return out;
  const rows = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const id = Number(ids[j]);
    if (!(id >= 0 && id < t.vocabSize)) throw new Error(`token id ${id} outside the embedding table`);
    rows[j] = id * t.dim;
  }
  for (let k = 0; k < t.dim; k++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += t.table[rows[j]! + k]!;
    out[k] = sum / n;
  }
  return out;
}

/** The part of the Transformers.js feature-extraction pipeline used here (its declared type is too wide to be useful). */
type Extractor = (
  texts: string[],
  opts: { pooling: 'mean'; normalize: boolean },
) => Promise<{ data: Float32Array; dims: number[] }>;

/**
 * Transformers.js configuration is process-wide (`env`) and read while a pipeline loads its files, so loads
 * are serialised: two embedders with different model folders must not see each other's `localModelPath`.
 */
let loadQueue: Promise<unknown> = Promise.resolve();

/** True for ids of the e5 family, which were trained with `query: ` / `passage: ` prefixes. */
function isE5(modelId: string): boolean {
  return E5_MODEL_RE.test(modelId);
}

/**
 * Opens an embedding model from `<modelsDir>/<modelId>` with Transformers.js (mean pooling, unit length).
 * Picks `onnx/model.onnx`, or `onnx/model_quantized.onnx` when that is the only weights file.
 * @example
 * const e = await createEmbedder({ modelsDir: 'index/current/models', modelId: 'plancite-static' });
 * const v = await e.embedQuery('bao hiem xa hoi'); // v.length === e.dim
 */
export async function createEmbedder(cfg: EmbedderConfig): Promise<Embedder> {
  const { modelsDir, modelId } = cfg;
  const allowRemote = cfg.allowRemote ?? false;
  const batchSize = cfg.batchSize ?? DEFAULT_BATCH_SIZE;
  if (typeof modelId !== 'string' || modelId.trim() === '') throw new AppError('config', 'embedding model id is empty');
  if (path.isAbsolute(modelId) || modelId.split(PATH_SEPARATOR_RE).includes('..')) {
    throw new AppError('config', `embedding model id "${modelId}" must be a folder name inside MODELS_DIR, not a path`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new AppError('config', `embedding batch size must be a positive integer, got ${batchSize}`);

  const folder = path.resolve(modelsDir, modelId);
  let quantized = false;
  if (existsSync(folder)) {
    const full = existsSync(path.join(folder, 'onnx', 'model.onnx'));
    const quant = existsSync(path.join(folder, 'onnx', 'model_quantized.onnx'));
    if (!full && !quant && !allowRemote) {
      throw new AppError('config', `embedding model folder ${folder} has neither onnx/model.onnx nor onnx/model_quantized.onnx`);
    }
    quantized = !full && quant;
  } else if (!allowRemote) {
    throw new AppError(
      'config',
      `embedding model "${modelId}" not found: folder ${folder} does not exist — run \`npm run cli -- ingest\` to train the built-in model, or place the model in MODELS_DIR (${path.resolve(modelsDir)})`,
    );
  }

  const staticTable = cfg.staticLookup === false || quantized ? null : await readStaticTable(folder);
  const load = loadQueue.then(async () => {
    env.localModelPath = path.resolve(modelsDir) + path.sep;
    env.allowLocalModels = true;
    env.allowRemoteModels = allowRemote;
    try {
      if (staticTable) return { tokenize: (await AutoTokenizer.from_pretrained(modelId)) as unknown as Tokenize };
      return { extractor: (await pipeline('feature-extraction', modelId, { quantized })) as unknown as Extractor };
    } catch (err) {
      throw new AppError('config', `embedding model "${modelId}" in ${folder} could not be loaded: ${(err as Error).message}`, { cause: err });
    }
  });
  loadQueue = load.catch(() => undefined);
  const { extractor, tokenize } = await load;

  const run = async (texts: string[]): Promise<number[][]> => {
    if (staticTable && tokenize) {
      // The pipeline's tokenizer call (truncation on; padding only adds masked-out positions).
      return texts.map((t) => unitOrZero(poolRows(staticTable, tokenize(t, { truncation: true }).input_ids.data)));
    }
    const out = await extractor!(texts, { pooling: 'mean', normalize: false });
    const [rows, dim] = out.dims;
    if (rows !== texts.length || dim === undefined) throw new Error(`embedder ${modelId}: unexpected output shape [${out.dims.join(', ')}]`);
    const vecs: number[][] = [];
    for (let r = 0; r < rows; r++) vecs.push(unitOrZero(out.data.subarray(r * dim, (r + 1) * dim)));
    return vecs;
  };

  const probe = await run([PROBE_TEXT]);
  const dim = probe[0]!.length;
  const e5 = isE5(modelId);
  const queryPrefix = cfg.queryPrefix ?? (e5 ? 'query: ' : '');
  const passagePrefix = cfg.passagePrefix ?? (e5 ? 'passage: ' : '');

  return {
    id: modelId,
    dim,
    queryPrefix,
    passagePrefix,
    async embedDocuments(texts: string[]): Promise<number[][]> {
      if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) {
        throw new AppError('bad_input', 'embedDocuments expects an array of strings');
      }
      const prepared = texts.map((t) => passagePrefix + t.normalize('NFC'));
      if (staticTable) return run(prepared);
      // Length-bucketed batches: a batch pads to its longest text, so texts of similar length go together.
      const order = prepared.map((_, i) => i).sort((a, b) => prepared[a]!.length - prepared[b]!.length);
      const out = new Array<number[]>(texts.length);
      for (let i = 0; i < order.length; i += batchSize) {
        const idx = order.slice(i, i + batchSize);
        const vecs = await run(idx.map((j) => prepared[j]!));
        idx.forEach((j, r) => (out[j] = vecs[r]!));
      }
      return out;
    },
    async embedQuery(text: string): Promise<number[]> {
      if (typeof text !== 'string') throw new AppError('bad_input', 'embedQuery expects a string');
      return (await run([queryPrefix + text.normalize('NFC')]))[0]!;
    },
  };
}

/** L2-normalises; a text with no known token pools to zeros and stays zeros (never NaN). */
function unitOrZero(v: Float32Array): number[] {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const out = new Array<number>(v.length);
  const inv = s > 0 && Number.isFinite(s) ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}

/** LangChain `Embeddings` backed by an {@link Embedder} (e.g. for the LangChain HNSWLib vector store). */
class EmbedderEmbeddings extends Embeddings {
  constructor(private readonly inner: Embedder) {
    super({});
  }
  embedDocuments(documents: string[]): Promise<number[][]> {
    return this.inner.embedDocuments(documents);
  }
  embedQuery(document: string): Promise<number[]> {
    return this.inner.embedQuery(document);
  }
}

/**
 * Wraps an embedder as a LangChain `Embeddings`.
 * @example const store = await HNSWLib.fromTexts(texts, metas, toLangChainEmbeddings(embedder));
 */
export function toLangChainEmbeddings(e: Embedder): Embeddings {
  return new EmbedderEmbeddings(e);
}
