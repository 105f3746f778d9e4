import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linesOf, runCli } from './run-cli';

const CONSOLE_LOGIN = JSON.stringify({ eventName: 'ConsoleLogin', additionalEventData: { MFAUsed: 'No' } });
const CREATE_USER = JSON.stringify({ eventName: 'CreateUser' });
const NO_MFA = '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes" }';

describe('trailwatch pattern match', () => {
  it('writes one {"match": ...} line per JSON event read from stdin', async () => {
    // Act
    const { code, stdout } = await runCli(['pattern', 'match', '--pattern', NO_MFA], `${CONSOLE_LOGIN}\n${CREATE_USER}\n`);
    // Assess
    expect(code).toBe(0);
    expect(linesOf(stdout)).toEqual(['{"match":true}', '{"match":false}']);
  });

  it('matches a line that is not JSON as raw text', async () => {
    // Act
    const { code, stdout } = await runCli(['pattern', 'match', '--pattern', 'ERROR'], 'ERROR: disk full\nall good\n{"eventName": "ConsoleLogin"\n');
    // Assess
    expect(code).toBe(0);
    expect(linesOf(stdout)).toEqual(['{"match":true}', '{"match":false}', '{"match":false}']);
  });

  it('never matches a JSON pattern against a line that is not JSON', async () => {
    // Act
    const { stdout } = await runCli(['pattern', 'match', '--pattern', NO_MFA], 'eventName ConsoleLogin\n');
    // Assess
    expect(linesOf(stdout)).toEqual(['{"match":false}']);
  });

  it('skips blank lines and reads a last line without a newline', async () => {
    // Act
    const { stdout } = await runCli(['pattern', 'match', '--pattern', NO_MFA], `\n${CREATE_USER}\n   \r\n${CONSOLE_LOGIN}`);
    // Assess
    expect(linesOf(stdout)).toEqual(['{"match":false}', '{"match":true}']);
  });

  it('answers neither yes nor no for an event that needs more than its work budget, and exits 1', async () => {
    // Prepare: nearly every character of the long value reaches a new state of 5,000 counted repetitions, and none matches.
    const pattern = '{ $.token = %a{1000}a{1000}a{1000}a{1000}a{1000}% }';
    const long = JSON.stringify({ token: `${'a'.repeat(4999)}b`.repeat(4) });
    // Act
    const { code, stdout } = await runCli(['pattern', 'match', '--pattern', pattern], `${long}\n${CREATE_USER}\n`);
    // Assess
    expect(code).toBe(1);
    expect(linesOf(stdout).map((line) => JSON.parse(line) as unknown)).toEqual([
      { match: null, undetermined: expect.stringMatching(/^the pattern is too complex to decide \(it needs more than 2,000,000 steps of work/) },
      { match: false },
    ]);
  });

  it('reads the events from --events FILE', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'trailwatch-')), 'events.jsonl');
    writeFileSync(file, `${CREATE_USER}\r\n${CONSOLE_LOGIN}\r\n`);
    // Act
    const { code, stdout } = await runCli(['pattern', 'match', '--pattern', NO_MFA, '--events', file], CONSOLE_LOGIN);
    // Assess
    expect(code).toBe(0);
    expect(linesOf(stdout)).toEqual(['{"match":false}', '{"match":true}']);
  });

  it('exits 2 with one line when the events file cannot be read', async () => {
    // Act
    const { code, stdout, stderr } = await runCli(['pattern', 'match', '--pattern', NO_MFA, '--events', '/nonexistent/events.jsonl']);
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(linesOf(stderr)).toEqual([expect.stringMatching(/^trailwatch pattern match: cannot read the events file \/nonexistent\/events\.jsonl: .*ENOENT/)]);
  });

  it('exits 2 and shows where the pattern does not parse, reading no events', async () => {
    // Act
    const { code, stdout, stderr } = await runCli(['pattern', 'match', '--pattern', '{ $.eventName = }'], CONSOLE_LOGIN);
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^trailwatch pattern match: the pattern does not parse: .*\n {2}\{ \$\.eventName = \}\n {18}\^\n$/);
  });
});
