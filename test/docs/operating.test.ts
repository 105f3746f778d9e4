/**
 * The operator's guide (docs/operating.md) is followed by pasting its commands, so each must be
 * one the tools accept: every `aws` command and flag is looked up in the installed AWS CLI's own
 * command tables (offline: test/docs/aws-cli-check.py), every `trailwatch` command and flag in the
 * CLI's, every StackSet or stack parameter in deploy/member-role.yml, every stack output in
 * serverless.yml. Nothing is run against AWS.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli';
import { ROOT, yamlFile } from '../support/templates';

const GUIDE = readFileSync(join(ROOT, 'docs/operating.md'), 'utf8');

/** The shell blocks of a markdown text, continuation lines joined. */
export function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const [, body] of markdown.matchAll(/^ *```sh\n([\s\S]*?)^ *```/gm)) {
    lines.push(...(body as string).replace(/\\\n\s*/g, ' ').split('\n').map((line) => line.trim()).filter(Boolean));
  }
  return lines;
}

/** The text of one command starting at `start`: up to its end of line, `&&`, `;`, `|`, or the `)` closing its `$(`. */
function commandAt(line: string, start: number): string {
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '$' && line[i + 1] === '(' && quote === '"') depth++;
      else if (c === ')' && quote === '"' && depth > 0) depth--;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '$' && line[i + 1] === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return line.slice(start, i);
      depth--;
    } else if (depth === 0 && (c === ';' || c === '|' || (c === '&' && line[i + 1] === '&'))) return line.slice(start, i);
  }
  return line.slice(start);
}

/** Words outside quotes and substitutions (a quoted or substituted word counts as one). */
function words(command: string): string[] {
  const out: string[] = [];
  let word = '';
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      word += c;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '$' && command[i + 1] === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    if (/\s/.test(c) && depth === 0) {
      if (word) out.push(word);
      word = '';
    } else {
      word += c;
    }
  }
  if (word) out.push(word);
  return out;
}

/** Every command of `tool` in the lines, wherever it starts: a line, `$(`, after `&&`, `;` or `|`. */
function commandsOf(lines: readonly string[], tool: RegExp): string[][] {
  const found: string[][] = [];
  for (const line of lines) {
    for (const match of line.matchAll(new RegExp(`(?:^|\\$\\(|&&\\s*|;\\s*|\\|\\s*)(${tool.source})\\s`, 'g'))) {
      const start = (match.index ?? 0) + match[0].length - match[1]!.length - 1;
      found.push(words(commandAt(line, start)));
    }
  }
  return found;
}

/** Splits `aws svc op [sub] --flag value ...` into its command words and its flags. */
function awsCommand(tokens: readonly string[]): { words: string[]; flags: string[] } {
  const rest = tokens.slice(1);
  const commandWords: string[] = [];
  for (const token of rest) {
    if (token.startsWith('-')) break;
    commandWords.push(token);
  }
  // Positional arguments (an outfile, an S3 path) follow the operation: only known command words are kept.
  const flags = rest.filter((token) => token.startsWith('--')).map((token) => token.replace(/=.*$/, ''));
  return { words: commandWords, flags };
}

const LINES = shellLines(GUIDE);
const AWS = commandsOf(LINES, /aws/);
const TRAILWATCH = commandsOf(LINES, /npx trailwatch/);

describe('docs/operating.md', () => {
  it('has the commands of every step', () => {
    expect(AWS.length).toBeGreaterThan(30);
    expect(TRAILWATCH.length).toBeGreaterThanOrEqual(4);
    for (const [service, op] of [
      ['cloudformation', 'activate-organizations-access'],
      ['organizations', 'describe-organization'],
      ['organizations', 'list-roots'],
      ['cloudformation', 'describe-stacks'],
      ['cloudformation', 'create-stack-set'],
      ['cloudformation', 'create-stack-instances'],
      ['sns', 'list-subscriptions-by-topic'],
      ['lambda', 'invoke'],
      ['cloudformation', 'update-stack-set'],
      ['cloudformation', 'delete-stack-instances'],
      ['cloudformation', 'delete-stack-set'],
      ['s3api', 'delete-bucket'],
    ]) {
      expect(AWS.some((tokens) => tokens[1] === service && tokens[2] === op)).toBe(true);
    }
  });

  it('uses only AWS CLI commands and options the installed CLI knows', () => {
    // Prepare
    const commands = AWS.map(awsCommand);
    // Act: one Python process looks every command up in the CLI's own tables
    const run = spawnSync('python3', [join(__dirname, 'aws-cli-check.py')], { input: JSON.stringify(commands), encoding: 'utf8', timeout: 120_000 });
    // Assess
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([]);
  }, 150_000);

  it('knows a wrong flag when it sees one (the check can fail)', () => {
    const commands = [awsCommand(words('aws cloudformation create-stack-set --stack-set-nam x'))];
    const run = spawnSync('python3', [join(__dirname, 'aws-cli-check.py')], { input: JSON.stringify(commands), encoding: 'utf8', timeout: 120_000 });
    expect(JSON.parse(run.stdout)).toEqual(['aws cloudformation create-stack-set: unknown option --stack-set-nam']);
  }, 150_000);

  it('uses only trailwatch commands and options the CLI has', () => {
    const program = buildProgram({ io: { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin }, setExitCode: () => undefined });
    for (const tokens of TRAILWATCH) {
      let command: Command = program;
      const args = tokens.slice(2);
      while (args[0] && !args[0].startsWith('-')) {
        const name = args.shift() as string;
        const next = command.commands.find((c) => c.name() === name);
        expect(next ? name : `unknown command '${name}' in: ${tokens.join(' ')}`).toBe(name);
        command = next as Command;
      }
      for (const flag of args.filter((a) => a.startsWith('--'))) {
        expect(command.options.some((o) => o.long === flag) ? flag : `${flag} is no option of: ${tokens.join(' ')}`).toBe(flag);
      }
    }
  });

  it('passes the member role template only parameters it has, and every one it requires', () => {
    const template = yamlFile('deploy/member-role.yml') as { Parameters: Record<string, { Default?: unknown }> };
    const declared = Object.keys(template.Parameters);
    const required = declared.filter((name) => template.Parameters[name]?.Default === undefined);
    const memberRoleCommands = AWS.filter((t) => t.some((w) => w === 'trailwatch-member-role') && (t.includes('--parameters') || t.includes('--parameter-overrides')));
    expect(memberRoleCommands.length).toBeGreaterThanOrEqual(4);
    for (const tokens of memberRoleCommands) {
      const given = tokens.flatMap((t) => [...t.matchAll(/ParameterKey=(\w+)/g)].map((m) => m[1] as string));
      const overrides = tokens.includes('--parameter-overrides') ? tokens.slice(tokens.indexOf('--parameter-overrides') + 1).filter((t) => !t.startsWith('--')).map((t) => t.split('=')[0] as string) : [];
      const names = [...given, ...overrides];
      expect(names.filter((name) => !declared.includes(name))).toEqual([]);
      expect(required.filter((name) => !names.includes(name))).toEqual([]);
    }
  });

  it('reads only stack outputs serverless.yml declares', () => {
    const service = yamlFile('serverless.yml') as { resources: { Outputs: Record<string, unknown> } };
    const queried = [...GUIDE.matchAll(/OutputKey=='(\w+)'/g)].map((m) => m[1] as string);
    const paragraph = /^The outputs: ([\s\S]*?)\n\n/m.exec(GUIDE)?.[1] ?? '';
    const listed = [...paragraph.matchAll(/`(\w+)`/g)].map((m) => m[1] as string);
    expect(queried.length).toBeGreaterThan(3);
    expect(listed.length).toBeGreaterThanOrEqual(7);
    expect([...queried, ...listed].filter((name) => !(name in service.resources.Outputs))).toEqual([]);
  });
});
