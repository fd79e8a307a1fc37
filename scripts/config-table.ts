// Writes the README's configuration table from the configuration tables of src/config* (tests/server/config.test.ts
// fails when the README and the tables differ). Run: npx tsx scripts/config-table.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_TABLE_ROWS } from '../src/config.ts';

const readme = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../README.md');
/** The header of the configuration table. */
const HEADER = '| variable | default | meaning |\n|---|---|---|\n';

const text = readFileSync(readme, 'utf8');
const start = text.indexOf(HEADER, text.indexOf('## Configuration'));
if (start < 0) throw new Error(`config-table: no configuration table under "## Configuration" in ${readme}`);
const body = start + HEADER.length;
const end = text.indexOf('\n\n', body);
writeFileSync(readme, `${text.slice(0, body)}${CONFIG_TABLE_ROWS.join('\n')}${text.slice(end)}`);
console.log(`config-table: ${CONFIG_TABLE_ROWS.length} rows written to ${readme}`);
