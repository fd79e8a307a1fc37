// Layer rules of DESIGN.md ("Architecture"): a folder may import only its own layer or lower ones,
// and no two folders may import each other (directly or through others). Checked by tests/architecture.test.ts.
const LAYERS = [
  ['doc', 'text', 'errors.ts', 'config.ts', 'config'], // kernel
  ['embed', 'store'], // stores and models
  ['ingest', 'register'], // build the index
  ['retrieve'], // query understanding, ranking
  ['answer'], // composition, refusal, LLM, the engine
  ['server', 'bots', 'cli'], // transports
];
const forbidden = [];
LAYERS.forEach((layer, i) => {
  const higher = LAYERS.slice(i + 1).flat();
  if (!higher.length) return;
  forbidden.push({
    name: `no-upward-from-${layer.join('-').replace(/\W/g, '')}`,
    comment: `${layer.join(', ')} must not import a higher layer (${higher.join(', ')})`,
    severity: 'error',
    from: { path: `^src/(${layer.map((x) => x.replace('.', '\\.')).join('|')})` },
    to: { path: `^src/(${higher.map((x) => x.replace('.', '\\.')).join('|')})` },
  });
});
forbidden.push({
  name: 'no-folder-cycles',
  comment: 'folders of src/ must not depend on each other in a circle',
  severity: 'error',
  from: { path: '^src/' },
  to: { circular: true },
});
forbidden.push({
  name: 'no-tests-or-bench-from-src',
  severity: 'error',
  from: { path: '^src/' },
  to: { path: '^(tests|bench)/' },
});
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/server/public/' },
  },
};
