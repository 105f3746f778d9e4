/**
 * Every flag of every command with malformed values: exit code 2, nothing on stdout, one line
 * on stderr that names what is wrong, no file written, and — for scan — no AWS call made (the
 * endpoint given is a closed loopback port, so a call would show up as a different error).
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeInventories } from '../../src/collect/inventory-file';
import { runCli } from '../cli/run-cli';

const NOWHERE = 'http://127.0.0.1:9';
const dir = mkdtempSync(join(tmpdir(), 'trailwatch-hardening-'));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a directory');
const inventory = join(dir, 'inventory.json');
writeFileSync(inventory, serializeInventories([]));
const notJson = join(dir, 'not.json');
writeFileSync(notJson, '{ "formatVersion": 1, "inventories": [');
const empty = join(dir, 'empty.json');
writeFileSync(empty, '');
const wrongShape = join(dir, 'array.json');
writeFileSync(wrongShape, '[1, 2, 3]');
const futureVersion = join(dir, 'v99.json');
writeFileSync(futureVersion, JSON.stringify({ formatVersion: 99, inventories: [] }));
const missingDir = join(dir, 'no-such-directory', 'out.json');
const longPattern = `{ $.eventName = "${'x'.repeat(1030)}" }`;

type Case = [flag: string, args: string[], message: RegExp];

const scan = (...args: string[]) => ['scan', '--endpoint-url', NOWHERE, ...args];

const SCAN: Case[] = [
  ['--benchmark', scan('--benchmark', ''), /unknown benchmark ''/],
  ['--benchmark', scan('--benchmark', 'v9'), /unknown benchmark 'v9'/],
  ['--benchmark', scan('-b', 'v1'), /benchmark 'v1' is ambiguous/],
  ['--benchmark', scan('--benchmark', 'cis-gcp-v1.0.0'), /unknown benchmark 'cis-gcp-v1.0.0'/],
  ['--checks', scan('--checks', ''), /no checks given/],
  ['--checks', scan('--checks', ','), /no checks given/],
  ['--checks', scan('--checks', 'rooot'), /unknown check 'rooot'/],
  ['--checks', scan('--checks', 'root_usage;vpc_changes'), /unknown check 'root_usage;vpc_changes'/],
  ['--checks', scan('--benchmark', 'v1.2.0', '--checks', 'organizations_changes'), /cis-aws-v1.2.0 has no organizations_changes/],
  ['--accounts', scan('--accounts', '12345'), /'12345' is not a valid account ID/],
  ['--accounts', scan('--accounts', '1234567890123'), /'1234567890123' is not a valid account ID/],
  ['--accounts', scan('--accounts', 'abcdefghijkl'), /'abcdefghijkl' is not a valid account ID/],
  ['--accounts', scan('--accounts', ' , '), /no account IDs given/],
  ['--accounts', scan('--accounts'), /option '--accounts <ids>' argument missing/],
  ['--exclude-accounts', scan('--exclude-accounts', '12345,123456789012'), /'12345' is not a valid account ID/],
  ['--ous', scan('--ous', 'root'), /'root' is not a valid organizational unit ID/],
  ['--ous', scan('--ous', 'ou-1'), /'ou-1' is not a valid organizational unit ID/],
  ['--regions', scan('--regions', 'mars-north'), /'mars-north' is not a region/],
  ['--regions', scan('--regions', 'US-EAST-1'), /'US-EAST-1' is not a region/],
  ['--regions', scan('--regions', 'us_east_1'), /'us_east_1' is not a region/],
  ['--regions', scan('--regions', ''), /no regions given/],
  ['--role-name', scan('--role-name', ''), /'' is not an IAM role name/],
  ['--role-name', scan('--role-name', 'bad/name'), /'bad\/name' is not an IAM role name/],
  ['--role-name', scan('--role-name', 'r'.repeat(65)), /is not an IAM role name/],
  ['--external-id', scan('--external-id', ''), /'' is not an external ID/],
  ['--external-id', scan('--external-id', 'a'), /'a' is not an external ID/],
  ['--external-id', scan('--external-id', 'has space'), /'has space' is not an external ID/],
  ['--external-id', scan('--external-id', 'x'.repeat(1225)), /is not an external ID/],
  ['--endpoint-url', ['scan', '--endpoint-url', 'nowhere'], /--endpoint-url 'nowhere' is not a URL/],
  ['--endpoint-url', ['scan', '--endpoint-url', ''], /--endpoint-url '' is not a URL/],
  ['--endpoint-url', ['scan', '--endpoint-url', 'http://'], /--endpoint-url 'http:\/\/' is not a URL/],
  ['--endpoint-url', ['scan', '--endpoint-url', 'ftp://127.0.0.1'], /must be an http:\/\/ or https:\/\/ URL/],
  ['--profile', scan('--profile', ''), /no profile name given/],
  ['--home-region', scan('--home-region', 'mars'), /'mars' is not a region/],
  ['--home-region', scan('--home-region', ''), /no regions given/],
  ['--concurrency', scan('--concurrency', '0'), /'0' is not a whole number from 1 to 1000/],
  ['--concurrency', scan('--concurrency', '-1'), /argument is ambiguous|'-1' is not a whole number/],
  ['--concurrency', scan('--concurrency=-1'), /'-1' is not a whole number from 1 to 1000/],
  ['--concurrency', scan('--concurrency', '1.5'), /'1.5' is not a whole number/],
  ['--concurrency', scan('--concurrency', 'ten'), /'ten' is not a whole number/],
  ['--concurrency', scan('--concurrency', '1001'), /'1001' is not a whole number from 1 to 1000/],
  ['--concurrency', scan('--concurrency', '99999999999999999999'), /is not a whole number from 1 to 1000/],
  ['--deadline', scan('--deadline', 'soon'), /'soon' is not a duration/],
  ['--deadline', scan('--deadline', '0s'), /'0s' is not a positive duration/],
  ['--deadline', scan('--deadline', '10'), /'10' has no unit: write 10s, 10m or 10h/],
  ['--deadline', scan('--deadline=-5m'), /'-5m' is not a duration/],
  ['--deadline', scan('--deadline', '5d'), /'5d' is not a duration/],
  ['--deadline', scan('--deadline', '1e309s'), /'1e309s' is not a duration/],
  ['--deadline', scan('--deadline', ''), /'' is not a duration/],
  ['--save-inventory', scan('--save-inventory', ''), /no file name given/],
  ['--save-inventory', scan('--save-inventory', missingDir), /does not exist/],
  ['--save-inventory', scan('--save-inventory', dir), /it is a directory/],
  ['--save-inventory', scan('--save-inventory', join(aFile, 'x.json')), /is not a directory/],
  ['--format', scan('--format', 'xml'), /Allowed choices are table, json, csv, asff/],
  ['--format', scan('-f', ''), /Allowed choices are table, json, csv, asff/],
  ['--output', scan('--output', ''), /no file name given/],
  ['--output', scan('-o', missingDir), /does not exist/],
  ['--output', scan('--output', dir), /it is a directory/],
  ['--output', scan('--output', '/proc/version'), /cannot write \/proc\/version: no file can be created in \/proc/],
  ['--no-color', scan('--no-color=yes'), /unknown option '--no-color=yes'/],
  ['--security-hub', scan('--security-hub=eu-west-1'), /unknown option '--security-hub=eu-west-1'/],
  ['--history', scan('--history', join(dir, 'nope')), /history directory .* does not exist/],
  ['--history', scan('--history', aFile), /is not a directory/],
  ['--history', scan('--history', ''), /no history directory given/],
  ['--history', scan('--history', 's3://'), /is not an S3 location/],
  ['--history', scan('--history', 's3://Not_A_Bucket/x'), /is not an S3 location/],
  ['--history', scan('--history', dir), /use it with --format html \(not table\)/],
];

const EVALUATE: Case[] = [
  ['--inventory', ['evaluate'], /required option '-i, --inventory <file>' not specified/],
  ['--inventory', ['evaluate', '--inventory', ''], /cannot read the inventory file/],
  ['--inventory', ['evaluate', '--inventory', join(dir, 'nope.json')], /cannot read the inventory file .*ENOENT/],
  ['--inventory', ['evaluate', '--inventory', dir], /cannot read the inventory file .*EISDIR/],
  ['--inventory', ['evaluate', '--inventory', empty], /inventory/],
  ['--inventory', ['evaluate', '--inventory', notJson], /inventory/],
  ['--inventory', ['evaluate', '--inventory', wrongShape], /inventory/],
  ['--inventory', ['evaluate', '--inventory', futureVersion], /99/],
  ['--benchmark', ['evaluate', '--inventory', inventory, '--benchmark', 'v9'], /unknown benchmark 'v9'/],
  ['--checks', ['evaluate', '--inventory', inventory, '--checks', 'rooot'], /unknown check 'rooot'/],
  ['--format', ['evaluate', '--inventory', inventory, '--format', 'xml'], /Allowed choices/],
  ['--output', ['evaluate', '--inventory', inventory, '--output', missingDir], /does not exist/],
  ['--history', ['evaluate', '--inventory', inventory, '--format', 'html', '--history', join(dir, 'nope')], /does not exist/],
  ['--history', ['evaluate', '--inventory', inventory, '--format', 'csv', '--history', dir], /use it with --format html \(not csv\)/],
];

const PATTERN: Case[] = [
  ['match --pattern', ['pattern', 'match'], /required option '-p, --pattern <pattern>' not specified/],
  ['match --pattern', ['pattern', 'match', '--pattern', '{ $.a = '], /the pattern does not parse: expected a value after '=' at 8/],
  ['match --pattern', ['pattern', 'match', '--pattern', longPattern], /the pattern does not parse: .*1024/],
  ['match --events', ['pattern', 'match', '--pattern', 'x', '--events', join(dir, 'nope.jsonl')], /cannot read the events file .*ENOENT/],
  ['match --events', ['pattern', 'match', '--pattern', 'x', '--events', dir], /cannot read the events file .*it is a directory/],
  ['match --events', ['pattern', 'match', '--pattern', 'x', '--events', ''], /cannot read the events file/],
  ['check --check', ['pattern', 'check', '--pattern', 'x'], /required option '-c, --check <slug>' not specified/],
  ['check --check', ['pattern', 'check', '--check', 'nope', '--pattern', 'x'], /unknown check 'nope'/],
  ['check --check', ['pattern', 'check', '--check', '', '--pattern', 'x'], /check/],
  ['check --check', ['pattern', 'check', '-b', 'v1.2.0', '--check', 'organizations_changes', '--pattern', 'x'], /cis-aws-v1.2.0 has no organizations_changes/],
  ['check --pattern', ['pattern', 'check', '--check', 'root_usage'], /required option '-p, --pattern <pattern>' not specified/],
  ['check --pattern', ['pattern', 'check', '--check', 'root_usage', '--pattern', '{'], /the pattern does not parse: expected a selector/],
  ['check --pattern', ['pattern', 'check', '--check', 'root_usage', '--pattern', longPattern], /the pattern does not parse: .*1024/],
  ['check --benchmark', ['pattern', 'check', '--check', 'root_usage', '--pattern', 'x', '--benchmark', 'v9'], /unknown benchmark 'v9'/],
  ['check --format', ['pattern', 'check', '--check', 'root_usage', '--pattern', 'x', '--format', 'xml'], /Allowed choices are text, json/],
];

const OTHERS: Case[] = [
  ['controls --benchmark', ['controls', '--benchmark', '8'], /unknown benchmark '8'/],
  ['controls --format', ['controls', '--format', 'yaml'], /Allowed choices are text, json \(or table for text\)/],
  ['demo --format', ['demo', '--format', 'xml'], /Allowed choices are table, json, csv, asff/],
  ['demo --output', ['demo', '--output', missingDir], /does not exist/],
];

describe('every CLI flag with malformed values', () => {
  it.each([...SCAN, ...EVALUATE, ...PATTERN, ...OTHERS])('%s: exits 2 with one clear line for %j', async (_flag, args, message) => {
    // Act
    const { code, stdout, stderr } = await runCli(args);
    // Assess
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    // One line (a pattern error adds the pattern and a caret under the offset), naming the help page to read.
    expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(/does not parse/.test(stderr) ? 3 : 1);
    if (!/does not parse/.test(stderr)) expect(stderr).toMatch(/\(see 'trailwatch [a-z ]+ --help'\)\n$/);
    // Refused before any AWS call.
    expect(stderr).not.toMatch(/GetCallerIdentity|127\.0\.0\.1:9|credentials/i);
  });

  it('leaves no file behind in the directories it was pointed at', () => {
    expect(readdirSync(dir).sort()).toEqual(['a-file', 'array.json', 'empty.json', 'inventory.json', 'not.json', 'v99.json'].sort());
  });
});
