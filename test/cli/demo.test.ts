// `trailwatch demo` (npm run demo): its own moto, the seeded organization, the real scan, a self-check.
import { runDemo } from '../../src/cli/commands/demo';

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

  it('says how to install moto and exits 2 when it is missing', async () => {
    const { out, io } = buffers();
    const code = await runDemo({ format: 'table' }, io, { python: 'python-that-does-not-exist' });
    expect(code).toBe(2);
    expect(out.stderr).toContain('pip install "moto[server]"');
    expect(out.stdout).toBe('');
  });
});
