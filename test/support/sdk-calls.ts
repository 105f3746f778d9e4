/**
 * The AWS calls a part of trailwatch can make, read from its bundle: esbuild bundles the given
 * exports as it bundles the Lambda (tree-shaken, module by module) with the SDK clients left
 * external, and every `...Command` still imported from an `@aws-sdk/client-*` package is a call
 * that code can make. Turned into IAM actions, they are what a role must be granted.
 */
import { build } from 'esbuild';
import { ROOT } from './templates';

/** IAM prefixes of the SDK packages whose name does not say it. */
const IAM_PREFIX: Record<string, string> = {
  'client-cloudwatch-logs': 'logs',
  'client-eventbridge': 'events',
  'client-sfn': 'states',
};

/** SDK operations whose IAM action has another name. */
const IAM_ACTION: Record<string, string> = {
  's3:ListObjectsV2': 's3:ListBucket',
  's3:ListObjects': 's3:ListBucket',
};

function iamPrefix(sdkPackage: string): string {
  const name = sdkPackage.replace(/^@aws-sdk\//, '');
  return IAM_PREFIX[name] ?? name.replace(/^client-/, '').replace(/-/g, '');
}

/**
 * The IAM actions (e.g. `logs:PutMetricFilter`) of the SDK commands reachable from `exports`, a
 * module text such as `export { applyPlan } from './src/remediate/apply'` (paths from the
 * repository root); sorted, once each.
 */
export async function sdkActionsOf(exports: string): Promise<string[]> {
  const result = await build({
    stdin: { contents: exports, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*'],
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text ?? '';
  const actions = new Set<string>();
  for (const [, names = '', sdkPackage = ''] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[a-z0-9-]+)"/g)) {
    for (const imported of names.split(',')) {
      const name = imported.trim().split(/\s+as\s+/)[0] ?? '';
      if (!name.endsWith('Command')) continue;
      const action = `${iamPrefix(sdkPackage)}:${name.slice(0, -'Command'.length)}`;
      actions.add(IAM_ACTION[action] ?? action);
    }
  }
  return [...actions].sort();
}
