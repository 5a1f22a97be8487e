/**
 * `node harness-main.js INPUT.json`: runs one program under sb and writes the result file (see
 * harness.ts). With `leaveFds: n` in the input, it first fills its descriptor table (the modules
 * are loaded by then) so that only n descriptors remain free: the supervisor out of fds.
 */
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { type HarnessInput, type HarnessOutput, runSandboxed } from './harness.js';

const input = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as HarnessInput & { leaveFds?: number };
let reserve = -1;
if (input.leaveFds !== undefined) {
  // Kept aside so the result file can still be written afterwards.
  reserve = openSync('/dev/null', 'r');
  const held: number[] = [];
  try {
    for (;;) held.push(openSync('/dev/null', 'r'));
  } catch {
    // EMFILE: the table is full.
  }
  for (const fd of held.slice(held.length - input.leaveFds)) closeSync(fd);
}
let result: HarnessOutput;
try {
  result = await runSandboxed(input);
} catch (e) {
  result = { code: -1, stdout: '', stderr: '', violations: 0, aborted: false, error: String(e) };
}
if (reserve >= 0) closeSync(reserve);
writeFileSync(input.resultFile, JSON.stringify(result));
// No process.exit(): the process must end by itself, also after a spawn that failed for lack
// of descriptors (B7: such a spawn once kept its pipes open, and this process alive). The
// load test runs it under a timeout and fails on a hang.
