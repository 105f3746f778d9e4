// `trailwatch demo` (npm run demo): its own moto, the seeded organization, the real scan, a self-check.
import { join } from 'node:path';
import { runDemo } from '../../src/cli/commands/demo';
import { readExceptionsFile } from '../../src/cli/exceptions';

function buffers() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    stdin: process.stdin,
  };
  return { out, io };
}

describe('Command: trailwatch demo', () => {
  it('scans the demo organization and confirms every verdict is the one it was built to get', async () => {
    // Prepare
    const { out, io } = buffers();
    // Act
    const code = await runDemo({ format: 'table' }, io);
    // Assess
    expect(code).toBe(0);
    expect(out.stdout).toContain('Demo organization o-');
    expect(out.stdout).toMatch(/FAIL +\d{12} \(filter-misses-event\) +metric filter: .*misses eventName = RevokeSecurityGroupEgress/);
    expect(out.stdout).toMatch(/SKIPPED +\d{12} \(suspended\)/);
    expect(out.stderr).toMatch(/all 105 verdicts are the ones the demo organization was built to get/);
    // The legend names each account as the report does (moto calls the management account "master").
    const [, managementId, managementName] = /^ {2}(\d{12}) {2}(\S+) +the management account: /m.exec(out.stdout) ?? [];
    expect(out.stdout).toContain(`${managementId} (${managementName})`);
  }, 120_000);

  it('applies examples/exceptions.yml: the verdicts still agree, the example\'s FAILs are excepted, its expired and stale entries named', async () => {
    // Prepare: the example's dates are judged on a fixed day, so the test does not expire with them.
    const now = new Date('2026-12-04T12:00:00Z');
    const exceptions = readExceptionsFile(join(__dirname, '../../examples/exceptions.yml'), now);
    const { out, io } = buffers();
    // Act
    const code = await runDemo({ format: 'json', exceptions }, io, { now: () => now });
    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(out.stdout);
    const excepted = report.findings.filter((f: { exception?: unknown }) => f.exception);
    expect(report.summary).toEqual({ pass: 88, fail: 5, error: 0, excepted: 12 });
    expect(excepted.every((f: { status: string }) => f.status === 'FAIL')).toBe(true);
    expect(report.exceptions.expired).toEqual([{ entry: 4, id: 'alerting-migration', expires: '2026-11-30', findings: 5 }]);
    expect(report.exceptions.stale).toEqual([{ entry: 5, id: 'old-root-exception', why: expect.stringContaining('passes') }]);
    // The OU entry reached both sandbox accounts through discovery's walk of the organization.
    expect(excepted.filter((f: { exception: { reason: string } }) => f.exception.reason.startsWith('Sandbox')).length).toBe(2);
    expect(excepted.filter((f: { exception: { kind?: string } }) => f.exception.kind === 'siem').length).toBe(5);
    expect(out.stderr).toMatch(/all 105 verdicts are the ones the demo organization was built to get \(its FAILs are on purpose; 12 excepted by .*exceptions\.yml\)/);
  });

  it('says how to install moto and exits 2 when it is missing', async () => {
    const { out, io } = buffers();
    const code = await runDemo({ format: 'table' }, io, { python: 'python-that-does-not-exist' });
    expect(code).toBe(2);
    expect(out.stderr).toContain('pip install "moto[server]"');
    expect(out.stdout).toBe('');
  });
});
