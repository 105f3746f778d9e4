// Bundles the CLI (and, once they exist, the Lambda handlers) with esbuild.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/trailwatch.js' });
