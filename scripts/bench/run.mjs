// `npm run bench`: bundles scripts/bench/main.ts with esbuild into a temporary file and runs it
// with node (no TypeScript runner needed), passing the arguments through.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'trailwatch-bench-'));
const outfile = join(dir, 'bench.js');
try {
  await build({
    entryPoints: [join(dirname(fileURLToPath(import.meta.url)), 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
    // playwright-core finds its own files relative to itself: loaded from the project, not bundled.
    external: ['playwright-core'],
  });
  // --expose-gc: the memory figures start from a collected heap. TRAILWATCH_ROOT: serverless.yml's defaults.
  const result = spawnSync(process.execPath, ['--enable-source-maps', '--no-deprecation', '--expose-gc', outfile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_PATH: join(root, 'node_modules'), TRAILWATCH_ROOT: root },
  });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
