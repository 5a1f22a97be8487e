/**
 * Writes expected/<kernel>.json for each kernel of the matrix from expected/history.json.
 * Run after editing the history or adding a kernel: `pnpm generate`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedFor, loadHistory } from '../src/expected.js';
import { MATRIX_VERSIONS } from '../src/kernels.js';

const dir = join(import.meta.dirname, '..', 'expected');
const history = loadHistory(join(dir, 'history.json'));
for (const kernel of MATRIX_VERSIONS) {
  const file = join(dir, `${kernel}.json`);
  writeFileSync(file, `${JSON.stringify(expectedFor(history, kernel), null, 2)}\n`);
  console.log(`wrote ${file}`);
}
