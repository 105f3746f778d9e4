// `npm run package`: the Lambda artefact and its CloudFormation template, offline and without
// AWS credentials. esbuild bundles handlers/scan.ts (SDK included) into dist/lambda/scan.js;
// osls (the maintained MIT fork of Serverless Framework v3) zips it and writes the template
// into .serverless/. `npm run deploy` builds the same bundle and runs `osls deploy` with your
// own credentials. Extra arguments go to osls (e.g. `-- --stage dev --region eu-west-1`).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const [command = 'package', ...oslsArgs] = process.argv.slice(2);
if (command !== 'package' && command !== 'deploy') {
  console.error(`usage: node scripts/package.mjs package|deploy [osls arguments]`);
  process.exit(2);
}

rmSync('dist/lambda', { recursive: true, force: true });
await build({
  // The watch's, the approval link's and distributed mode's functions are deployed only when switched on; their bundles are always built.
  entryPoints: {
    scan: 'handlers/scan.ts',
    watch: 'handlers/watch.ts',
    'approval-link': 'handlers/approval-link.ts',
    'distributed-discover': 'handlers/distributed-discover.ts',
    'distributed-collect': 'handlers/distributed-collect.ts',
    'distributed-aggregate': 'handlers/distributed-aggregate.ts',
  },
  outdir: 'dist/lambda',
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  // The SDK v3 packages publish ESM first: prefer it, so unused commands shake out.
  mainFields: ['module', 'main'],
  minify: true,
  keepNames: true,
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
});

const osls = require.resolve('osls/bin/serverless.js');

if (command === 'deploy') {
  const result = spawnSync(process.execPath, [osls, command, ...oslsArgs], { stdio: 'inherit', env: process.env });
  process.exit(result.status ?? 1);
}

// Packaging never talks to AWS. Should anything try, these make it fail at once on a closed
// loopback port rather than find real credentials.
const env = { ...process.env };
for (const name of Object.keys(env)) {
  if (/^AWS_/.test(name)) delete env[name];
}
Object.assign(env, {
  AWS_ACCESS_KEY_ID: 'offline-packaging',
  AWS_SECRET_ACCESS_KEY: 'offline-packaging',
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_CONFIG_FILE: '/dev/null',
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
});
// Both modes (serverless.yml `mode`): single into .serverless/, distributed into .serverless-distributed/,
// so CI lints both templates; a `--param mode=...` of your own packages that mode alone into .serverless/.
const ownMode = oslsArgs.some((arg, i) => /^mode=/.test(arg) && oslsArgs[i - 1] === '--param') || oslsArgs.some((arg) => /^--param=mode=/.test(arg));
// Distributed first: every osls package clears .serverless/.
const builds = ownMode
  ? [{ dir: '.serverless', args: [] }]
  : [
      { dir: '.serverless-distributed', args: ['--param', 'mode=distributed', '--package', '.serverless-distributed'] },
      { dir: '.serverless', args: [] },
    ];
for (const { dir, args } of builds) {
  const result = spawnSync(process.execPath, [osls, command, ...oslsArgs, ...args], { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`osls package failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
  const template = `${dir}/cloudformation-template-update-stack.json`;
  if (!existsSync(template)) {
    console.error(`osls package did not write ${template}`);
    process.exit(1);
  }
  console.log(`packaged: ${dir}/trailwatch.zip and ${template}`);
}
