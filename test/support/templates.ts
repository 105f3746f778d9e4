/** The deployment templates read as data, for tests. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** YAML (CloudFormation short tags included) as JSON, through cfn-lint's own decoder. */
export function yamlFile(path: string): Record<string, unknown> {
  const run = spawnSync('python3', ['-c', 'import json,sys; from cfnlint.decode.cfn_yaml import load; print(json.dumps(load(sys.argv[1])))', join(ROOT, path)], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`could not read ${path}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}
