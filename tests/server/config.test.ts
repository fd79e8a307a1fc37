// One configuration schema: every variable parsed once, shared variables read with one rule, all documented in the README.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_TABLE_ROWS, ENV_VARIABLES, loadConfig } from '../../src/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('loadConfig', () => {
  it('gives every part its slice of one parsed object', () => {
    const c = loadConfig({ INDEX_DIR: '/tmp/idx', PORT: '9000', WEBHOOK_SECRET: 'webhook-secret-0123456789', LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'm' });
    expect(c.indexDir).toBe('/tmp/idx');
    expect(c.server.port).toBe(9000);
    expect(c.bots.webhookSecret).toBe('webhook-secret-0123456789');
    expect(c.llm?.model).toBe('m');
  });

  it('parses ANSWER_MODE and PUBLIC_URL once, with one rule, for every part', () => {
    const c = loadConfig({ ANSWER_MODE: 'llm', PUBLIC_URL: 'https://pc.example.gov.vn/' });
    expect(c.answerMode).toBe('llm');
    expect(c.server.defaultAnswerMode).toBe('llm');
    expect(c.server.publicUrl).toBe('https://pc.example.gov.vn');
    expect(c.bots.publicUrl).toBe('https://pc.example.gov.vn');
    // Blank means unset everywhere (it used to be an error for one reader and "unset" for the other).
    expect(loadConfig({ ANSWER_MODE: '', PUBLIC_URL: ' ' })).toMatchObject({ answerMode: 'extractive', server: { publicUrl: undefined }, bots: { publicUrl: undefined } });
    for (const bad of [{ ANSWER_MODE: 'magic' }, { PUBLIC_URL: 'pc.example' }]) {
      expect(() => loadConfig(bad)).toThrow(new RegExp(`invalid environment variable ${Object.keys(bad)[0]}:`));
    }
  });

  it('TRUST_PROXY is a hop count (true = 1, false = 0)', () => {
    expect(loadConfig({}).server.trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).server.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'true' }).server.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'no' }).server.trustProxy).toBe(0);
    expect(() => loadConfig({ TRUST_PROXY: 'all' })).toThrow(/invalid environment variable TRUST_PROXY:/);
  });

  it('refuses API keys shorter than 16 characters, naming the variable but not the key', () => {
    expect(() => loadConfig({ API_KEYS: 'long-enough-key-0001,short-key-1' })).toThrow(/invalid environment variable API_KEYS: each key must be at least 16 characters/);
    expect(() => loadConfig({ API_KEYS: 'long-enough-key-0001,short-key-1' })).not.toThrow(/short-key-1/);
    expect(loadConfig({ API_KEYS: 'long-enough-key-0001' }).server.apiKeys).toEqual(['long-enough-key-0001']);
  });

  it('ignores variables it does not know, including prototype names', () => {
    expect(() => loadConfig({ constructor: 'x', __proto__: 'y', toString: 'z', HOME: '/root' } as Record<string, string>)).not.toThrow();
  });
});

describe('README configuration table', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const rows = section
    .slice(0, section.indexOf('\n## ', 5) > 0 ? section.indexOf('\n## ', 5) : undefined)
    .split('\n')
    .filter((l) => l.startsWith('| `'));
  const documented = rows.map((l) => /^\| `([A-Z0-9_]+)`/.exec(l)?.[1]).filter(Boolean);

  it('has one row per variable the schema reads, each with a default column', () => {
    expect([...documented].sort()).toEqual([...ENV_VARIABLES].sort());
    for (const r of rows) expect(r.split('|').length).toBeGreaterThanOrEqual(5);
  });

  it('is the table the configuration code makes (default and meaning of each variable in one place; `npx tsx scripts/config-table.ts` writes it)', () => {
    expect(rows).toEqual(CONFIG_TABLE_ROWS);
    expect(CONFIG_TABLE_ROWS.map((r) => /^\| `([A-Z0-9_]+)`/.exec(r)?.[1])).toEqual(ENV_VARIABLES);
  });
});

describe('README "How it works"', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## How it works'), readme.indexOf('**Goals.**'));
  it('names every folder of src/ (and data/) in one line each', () => {
    const folders = readdirSync(path.join(root, 'src'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `src/${d.name}/`);
    for (const f of [...folders, 'data/']) expect(section.split('\n').filter((l) => l.startsWith('- ') && l.includes(`\`${f}\``)), f).toHaveLength(1);
  });
});

