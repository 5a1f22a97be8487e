/**
 * Bundles the built CLI (dist/) into dist/bundle/, which bin/sb.js runs.
 *
 * Why: Node 20 resolves, reads and compiles every ES module on its own, and `sb run` loads
 * about 150 of them in each of its threads (the CLI's, the tracer's and the unotify
 * supervisor's). That was a third of its start-up. A bundle with shared chunks keeps
 * one module instance per thread (a prestarted thread and the code that takes it meet
 * in the same chunk) while loading a few files instead of 150.
 *
 * The threads' entry modules are found by URL at run time (`new URL('./worker.js',
 * import.meta.url)`), so they are bundled under those same names into one flat
 * directory, and the build fails if any such URL in the output names a missing file.
 * Packages loaded lazily with createRequire (zod, yaml) and koffi (a native addon) stay
 * outside the bundle: the build fails unless each resolves from the bundle.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_URL } from '@sb/ptrace/thread';
import { HANDLER_URL, NOTIFY_HANDLER_URL } from '@sb/sandbox/prestart';
import { SUPERVISOR_WORKER_URL } from '@sb/unotify/thread';
import { build } from 'esbuild';

const app = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(app, 'dist', 'bundle');
const EXTERNAL = ['koffi'];

const entry = (url: URL): [string, string] => [basename(url.pathname, '.js'), fileURLToPath(url)];
const require = createRequire(import.meta.url);
const entryPoints = Object.fromEntries([
  ['main', join(app, 'dist', 'main.js')],
  ['prestart', require.resolve('@sb/sandbox/prestart')],
  entry(WORKER_URL),
  entry(HANDLER_URL),
  entry(NOTIFY_HANDLER_URL),
  entry(SUPERVISOR_WORKER_URL),
]);

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  external: EXTERNAL,
  logLevel: 'warning',
  // Bundled CommonJS (commander) calls require() for Node's modules; ES modules have none.
  banner: {
    js: "import { createRequire as __sbCreateRequire } from 'node:module'; const require = __sbCreateRequire(import.meta.url);",
  },
});

// @sb/syscalls reads its tables from ../data/ next to its module: here dist/data/.
const syscallsData = join(dirname(require.resolve('@sb/syscalls')), '..', 'data');
cpSync(syscallsData, join(app, 'dist', 'data'), { recursive: true });

const problems: string[] = [];
const lazy = new Set(EXTERNAL);
for (const file of readdirSync(outdir).filter((f) => f.endsWith('.js'))) {
  const text = readFileSync(join(outdir, file), 'utf8');
  for (const m of text.matchAll(/new URL\(\s*["'](\.\/[^"'`$]+)["'],\s*import\.meta\.url\s*\)/g)) {
    if (!existsSync(join(outdir, m[1]!))) problems.push(`${file} loads ${m[1]}, which is not in the bundle`);
  }
  for (const m of text.matchAll(/createRequire\(import\.meta\.url\)\(\s*["']([^"']+)["']\s*\)/g))
    lazy.add(m[1]!);
}
const fromBundle = createRequire(join(outdir, 'main.js'));
for (const name of lazy) {
  try {
    fromBundle.resolve(name);
  } catch {
    problems.push(
      `the bundle loads ${name} at run time, but it does not resolve from ${outdir}: add it to sb's dependencies`,
    );
  }
}
if (problems.length > 0) {
  console.error(`sb bundle: ${problems.join('\n  ')}`);
  process.exit(1);
}
