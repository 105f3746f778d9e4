import { linesOf, runCli } from './run-cli';

/** The first line of each control in the text listing: "<number> <slug> (level n)". */
const CONTROL_LINE = /^(\d+\.\d+) +([a-z_0-9]+) {2}\(level (\d)\)$/;

describe('trailwatch controls', () => {
  it('lists the 14 checks of v1.2.0 with number, slug, level, title and reference pattern', async () => {
    // Act
    const { code, stdout } = await runCli(['controls', '--benchmark', 'v1.2.0']);
    // Assess
    expect(code).toBe(0);
    const lines = linesOf(stdout);
    expect(lines[0]).toBe('CIS AWS Foundations Benchmark v1.2.0 (cis-aws-v1.2.0): 14 checks');
    const controls = lines.filter((line) => CONTROL_LINE.test(line));
    expect(controls).toHaveLength(14);
    expect(controls.map((line) => line.match(CONTROL_LINE)![2])).not.toContain('organizations_changes');
    const root = lines.indexOf('3.3   root_usage  (level 1)');
    expect(lines[root + 1]).toMatch(/^ {6}Ensure .*"root" account/);
    expect(lines[root + 2]).toMatch(/^ {6}pattern: \{ ?\$\.userIdentity\.type ?= ?"Root"/);
  });

  it('takes the benchmark in its long and short forms alike', async () => {
    // Act
    const long = await runCli(['controls', '--benchmark', 'cis-aws-v1.2.0']);
    const short = await runCli(['controls', '-b', 'v1.2.0']);
    // Assess
    expect(long.stdout).toBe(short.stdout);
  });

  it('lists the default benchmark, v4.0.0, when none is given', async () => {
    // Act
    const { code, stdout } = await runCli(['controls']);
    // Assess
    expect(code).toBe(0);
    expect(linesOf(stdout)[0]).toBe('CIS AWS Foundations Benchmark v4.0.0 (cis-aws-v4.0.0): 15 checks');
    expect(stdout).toContain('4.15  organizations_changes  (level 1)');
  });

  it('lists the 15 checks of v7.0.0, numbered 5.1 to 5.15', async () => {
    // Act
    const { code, stdout } = await runCli(['controls', '--benchmark', 'v7.0.0']);
    // Assess
    expect(code).toBe(0);
    const lines = linesOf(stdout);
    expect(lines[0]).toBe('CIS AWS Foundations Benchmark v7.0.0 (cis-aws-v7.0.0): 15 checks');
    const numbers = lines.filter((line) => CONTROL_LINE.test(line)).map((line) => line.match(CONTROL_LINE)![1]);
    expect(numbers).toEqual(Array.from({ length: 15 }, (_, index) => `5.${index + 1}`));
    expect(stdout).toContain('5.15  organizations_changes  (level 1)');
  });

  it('shows the note where the catalogue corrects the benchmark', async () => {
    // Act
    const { stdout } = await runCli(['controls', '--benchmark', 'v1.3.0']);
    // Assess
    const lines = linesOf(stdout);
    const unauthorized = lines.indexOf('4.1   unauthorized_api_calls  (level 1)');
    const next = lines.findIndex((line, i) => i > unauthorized && CONTROL_LINE.test(line));
    expect(lines.slice(unauthorized, next).some((line) => line.startsWith('      note: '))).toBe(true);
  });

  it('prints every accepted reference of a check that has several', async () => {
    // Act
    const { stdout } = await runCli(['controls', '--benchmark', 'v4.0.0']);
    // Assess
    const lines = linesOf(stdout);
    const mfa = lines.indexOf('4.2   console_signin_without_mfa  (level 1)');
    expect(lines[mfa + 3]).toMatch(/^ {6}also accepted: .*IAMUser/);
  });

  it('writes JSON with every field when asked', async () => {
    // Act
    const { code, stdout } = await runCli(['controls', '--benchmark', '1.2', '--format', 'json']);
    // Assess
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed.benchmark).toBe('cis-aws-v1.2.0');
    expect(parsed.controls).toHaveLength(14);
    expect(parsed.controls[0]).toEqual({
      control: '3.1',
      check: 'unauthorized_api_calls',
      title: expect.stringContaining('unauthorized API calls'),
      level: 1,
      referencePatterns: [expect.stringContaining('UnauthorizedOperation')],
      notes: expect.any(Array),
      crosswalk: expect.any(Array),
    });
    expect(parsed.controls[0].crosswalk.map((entry: { framework: string }) => entry.framework)).toEqual([
      'nist-800-53', 'pci-dss-3.2.1', 'pci-dss-4.0', 'iso-27001-2022', 'cis-controls-v8', 'apra-cps-234', 'mas-trm',
    ]);
  });

  it('shows each check\'s related requirements and the frameworks that map nothing', async () => {
    const { stdout } = await runCli(['controls']);

    expect(stdout).toContain('      PCI DSS v3.2.1: 7.2.1\n');
    expect(stdout).toContain('      NIST SP 800-53 Rev. 5: AU-6(1), AU-6(5), AU-12(3), CA-7, SI-4(12), SI-5(1)\n');
    expect(stdout).toMatch(/not mapped: .*PCI DSS v4\.0, CIS Controls v8, MAS TRM Guidelines \(sources and reasons: --format json\)/);
  });

  it('exits 2 with one line for a benchmark that does not exist', async () => {
    // Act
    const { code, stdout, stderr } = await runCli(['controls', '--benchmark', 'v9.9.9']);
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(linesOf(stderr)).toHaveLength(1);
    expect(stderr).toContain("argument 'v9.9.9' is invalid");
  });

  it('exits 2 for a format it does not write', async () => {
    // Act
    const { code, stderr } = await runCli(['controls', '--format', 'xml']);
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('Allowed choices are text, json');
  });
});
