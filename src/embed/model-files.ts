// Writes a static embedding table as a Transformers.js model folder: config, tokenizer files and a one-node ONNX graph.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto, { type onnx as OnnxTypes } from 'onnx-proto';
import { normalizeForMatch } from '../text/normalize.ts';

const { onnx } = onnxProto;

/** ONNX IR version and default-domain opset of the written graph (what onnxruntime-node 1.14 in Transformers.js v2 reads). */
const ONNX_IR_VERSION = 8;
const ONNX_OPSET = 13;
/**
 * Longest tokenised input before truncation. A lookup table has no position limit; this only bounds memory
 * per batch (and Transformers.js needs some value, or it computes NaN lengths).
 */
export const STATIC_MAX_LENGTH = 8192;

/** Letter/digit runs: the same split as `tokenize` in src/ingest/normalize.ts. */
const WORD_REGEX = '[\\p{L}\\p{N}]+';

export interface ModelTable {
  /** Token strings; index = token id. Ids 0–3 must be [PAD], [UNK], [CLS], [SEP]. */
  vocab: string[];
  /** vocab.length × dim, row-major. */
  table: Float32Array;
  dim: number;
}

/**
 * Old-style → new-style tone placements (hoá → hóa, uỷ → ủy) that `normalizeForMatch` applies, derived from it
 * so the tokenizer and the training tokenisation cannot drift apart.
 */
export function tonePlacementReplacements(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const marks = ['\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
  for (const pair of ['oa', 'oe', 'uy']) {
    for (const mark of marks) {
      const old = (pair + mark).normalize('NFC');
      const canonical = normalizeForMatch(old);
      if (canonical !== old) out.push([old, canonical]);
    }
  }
  return out;
}

/** tokenizer.json (Hugging Face tokenizers format) for a word-level vocabulary of whole syllables. */
export function buildTokenizerJson(vocab: string[]): unknown {
  const specials = vocab.slice(0, 4);
  const [pad, unk, cls, sep] = specials;
  if (pad !== '[PAD]' || unk !== '[UNK]' || cls !== '[CLS]' || sep !== '[SEP]') {
    throw new Error('buildTokenizerJson: vocab must start with [PAD], [UNK], [CLS], [SEP]');
  }
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((content, id) => ({
      id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    // NFC first (NFD input would otherwise miss every accented syllable), lower case, new-style tone placement.
    // No BertNormalizer: its lowercase option strips accents unless told otherwise.
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFC' },
        { type: 'Lowercase' },
        ...tonePlacementReplacements().map(([from, to]) => ({ type: 'Replace', pattern: { String: from }, content: to })),
      ],
    },
    pre_tokenizer: { type: 'Split', pattern: { Regex: WORD_REGEX }, behavior: 'Removed', invert: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    // WordPiece over whole syllables: no "##" pieces exist, so an unknown syllable maps to [UNK] as a whole.
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

/** The ONNX graph: last_hidden_state = Gather(embedding_table, input_ids). */
export function buildOnnxModel(table: Float32Array, vocabSize: number, dim: number): Uint8Array {
  if (table.length !== vocabSize * dim) throw new Error(`buildOnnxModel: table has ${table.length} values, expected ${vocabSize}×${dim}`);
  // ONNX raw_data is little-endian whatever the host.
  const raw = new Uint8Array(table.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < table.length; i++) view.setFloat32(i * 4, table[i]!, true);
  const T = onnx.TensorProto.DataType;
  const dims = (names: Array<string | number>): OnnxTypes.ITensorShapeProto => ({
    dim: names.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
  });
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'plancite',
    producerVersion: '1',
    graph: {
      name: 'static_embedding_lookup',
      node: [{ name: 'lookup', opType: 'Gather', input: ['embedding_table', 'input_ids'], output: ['last_hidden_state'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] }],
      initializer: [{ name: 'embedding_table', dims: [vocabSize, dim], dataType: T.FLOAT, rawData: raw }],
      input: [{ name: 'input_ids', type: { tensorType: { elemType: T.INT64, shape: dims(['batch', 'sequence']) } } }],
      output: [{ name: 'last_hidden_state', type: { tensorType: { elemType: T.FLOAT, shape: dims(['batch', 'sequence', dim]) } } }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Writes config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx into `dir` (which must exist, with onnx/). */
export async function writeModelFolder(dir: string, m: ModelTable): Promise<void> {
  const vocabSize = m.vocab.length;
  const config = {
    model_type: 'bert',
    architectures: ['BertModel'],
    hidden_size: m.dim,
    vocab_size: vocabSize,
    num_hidden_layers: 0,
    num_attention_heads: 1,
    intermediate_size: m.dim,
    max_position_embeddings: STATIC_MAX_LENGTH,
    type_vocab_size: 1,
    pad_token_id: 0,
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    model_max_length: STATIC_MAX_LENGTH,
    do_lower_case: true,
    strip_accents: false,
    tokenize_chinese_chars: false,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    clean_up_tokenization_spaces: true,
  };
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  await writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2) + '\n');
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify(buildTokenizerJson(m.vocab)));
  await writeFile(path.join(dir, 'onnx', 'model.onnx'), buildOnnxModel(m.table, vocabSize, m.dim));
}
