import { ASFF_FINDING_TYPE, renderAsff, type AsffFinding } from '../../src/report';
import { finding, sampleReport, TITLES } from './fixtures';

const OPTIONS = { awsAccountId: '999999999999', region: 'eu-west-1', titleOf: (check: string) => TITLES[check] };

/** The top-level attributes the AwsSecurityFinding API reference marks "Required: Yes". */
const REQUIRED = [
  'SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'Types', 'CreatedAt', 'UpdatedAt', 'Severity', 'Title', 'Description', 'Resources',
] as const;
const NON_EMPTY = /\S/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** What BatchImportFindings would refuse, per the AwsSecurityFinding API reference; [] when valid. */
function asffProblems(f: AsffFinding): string[] {
  const problems: string[] = [];
  const record = f as unknown as Record<string, unknown>;
  for (const key of REQUIRED) if (record[key] === undefined) problems.push(`missing ${key}`);
  for (const key of ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'Title', 'Description'] as const) {
    if (typeof f[key] !== 'string' || !NON_EMPTY.test(f[key])) problems.push(`${key} is empty`);
  }
  if (f.SchemaVersion !== '2018-10-08') problems.push('SchemaVersion is not 2018-10-08');
  if (f.Id.length > 512 || f.GeneratorId.length > 512) problems.push('Id or GeneratorId longer than 512');
  if (!/^\d{12}$/.test(f.AwsAccountId)) problems.push('AwsAccountId is not 12 digits');
  if (!TIMESTAMP.test(f.CreatedAt) || !TIMESTAMP.test(f.UpdatedAt)) problems.push('bad timestamp');
  if (f.Title.length > 256) problems.push('Title longer than 256');
  if (f.Description.length > 1024) problems.push('Description longer than 1024');
  if (f.Types.length < 1 || f.Types.length > 50 || f.Types.some((t) => t.split('/').length > 3)) problems.push('bad Types');
  if (!['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].includes(f.Severity.Label)) problems.push('bad Severity.Label');
  if (f.Resources.length < 1 || f.Resources.length > 32) problems.push('Resources must hold 1 to 32 items');
  for (const r of f.Resources) {
    if (!NON_EMPTY.test(r.Type) || r.Type.length > 256 || !NON_EMPTY.test(r.Id)) problems.push(`bad resource ${r.Id}`);
    if (r.Region !== undefined && (r.Region.length < 1 || r.Region.length > 16)) problems.push(`bad resource region ${r.Region}`);
  }
  const text = f.Remediation?.Recommendation.Text;
  if (text !== undefined && (!NON_EMPTY.test(text) || text.length > 512)) problems.push('bad Recommendation.Text');
  if (!['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'].includes(f.Compliance.Status)) problems.push('bad Compliance.Status');
  const fields = Object.entries(f.ProductFields);
  if (fields.length > 50 || fields.some(([k, v]) => k.length > 128 || v.length > 2048 || !NON_EMPTY.test(v))) problems.push('bad ProductFields');
  return problems;
}

describe('renderAsff', () => {
  it('writes findings BatchImportFindings accepts: every required attribute, within its limits', () => {
    // Act
    const findings = renderAsff(sampleReport(), OPTIONS);
    // Assess
    expect(findings).toHaveLength(4);
    expect(findings.map(asffProblems)).toEqual([[], [], [], []]);
  });

  it('stays valid when texts are longer than Security Hub allows and no title is known', () => {
    // Prepare
    const long = finding({ accountId: '123456789012', check: 'vpc_changes', control: '4.14', status: 'FAIL', reason: 'x'.repeat(3000), fix: 'y'.repeat(900) });
    // Act
    const [only] = renderAsff({ ...sampleReport(), findings: [long] }, { awsAccountId: '999999999999', region: 'us-east-1', titleOf: () => undefined });
    // Assess
    expect(asffProblems(only!)).toEqual([]);
    expect(only!.Title).toBe('CIS 4.14 vpc_changes');
  });

  it('identifies the product, the generator per check and the finding stably per account and check', () => {
    // Act
    const [rootPass, rootFail] = renderAsff(sampleReport(), OPTIONS);
    // Assess
    expect(rootPass!.ProductArn).toBe('arn:aws:securityhub:eu-west-1:999999999999:product/999999999999/default');
    expect(rootFail!.GeneratorId).toBe(rootPass!.GeneratorId);
    expect(rootFail!.GeneratorId).toBe('trailwatch/cis-aws-v4.0.0/root_usage');
    expect(rootFail!.Id).toBe('trailwatch/cis-aws-v4.0.0/222222222222/root_usage');
    expect(rootFail!.AwsAccountId).toBe('222222222222');
    expect(rootFail!.Types).toEqual([ASFF_FINDING_TYPE]);
    expect(rootFail!.Title).toBe('CIS 4.3 Ensure usage of the "root" account is monitored');
    expect(rootFail!.CreatedAt).toBe('2025-03-01T10:00:00.000Z');
    expect(rootFail!.UpdatedAt).toBe('2025-03-01T10:00:42.000Z');
  });

  it('maps PASS, FAIL and ERROR to severity and compliance status', () => {
    // Act
    const byStatus = Object.fromEntries(
      renderAsff(sampleReport(), OPTIONS).map((f) => [f.ProductFields['trailwatch/status'], [f.Severity.Label, f.Compliance.Status]]),
    );
    // Assess
    expect(byStatus).toEqual({ PASS: ['INFORMATIONAL', 'PASSED'], FAIL: ['MEDIUM', 'FAILED'], ERROR: ['LOW', 'NOT_AVAILABLE'] });
  });

  it("lists the chain's resources with their ARNs and puts the broken link in ProductFields", () => {
    // Act
    const rootFail = renderAsff(sampleReport(), OPTIONS)[1]!;
    // Assess
    expect(rootFail.Resources).toEqual([
      { Type: 'AwsAccount', Id: 'AWS::::Account:222222222222', Partition: 'aws' },
      { Type: 'AwsCloudTrailTrail', Id: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail', Partition: 'aws', Region: 'us-east-1' },
      { Type: 'AwsLogsLogGroup', Id: 'arn:aws:logs:us-east-1:111111111111:log-group:org-trail-logs', Partition: 'aws', Region: 'us-east-1' },
    ]);
    expect(rootFail.ProductFields).toMatchObject({
      'trailwatch/brokenLink': 'metricFilter',
      'trailwatch/metricFilter': 'root-usage',
      'trailwatch/uncoveredRegions': 'us-east-1,eu-west-1',
    });
    expect(rootFail.Remediation?.Recommendation.Text).toBe("filter 'root-usage' misses events where userIdentity.invokedBy is set: run the command in ProductFields trailwatch/fix");
    expect(rootFail.ProductFields['trailwatch/fix']).toMatch(/^aws logs put-metric-filter/);
    expect(rootFail.Description).toContain('Broken link: metric filter.');
  });

  it('names alarm and topic resources of a passing chain and gives no remediation', () => {
    // Act
    const rootPass = renderAsff(sampleReport(), OPTIONS)[0]!;
    // Assess
    expect(rootPass.Resources.map((r) => r.Type)).toEqual(['AwsAccount', 'AwsCloudTrailTrail', 'AwsLogsLogGroup', 'AwsCloudWatchAlarm', 'AwsSnsTopic']);
    expect(rootPass.ProductFields['trailwatch/brokenLink']).toBe('none');
    expect(rootPass.Remediation).toBeUndefined();
  });

  it('carries the warnings of a passing finding in its description and, whole, in ProductFields', () => {
    // Prepare
    const warning = "queue 'pager' (account 999999999999, us-east-1) is in account 999999999999, which is not in this scan: trailwatch could not check that its policy lets SNS deliver";
    const report = sampleReport();
    const withWarning = { ...report, findings: report.findings.map((f) => (f.check === 'root_usage' && f.status === 'PASS' ? { ...f, warnings: [warning, 'another'] } : f)) };
    // Act
    const [rootPass] = renderAsff(withWarning, OPTIONS);
    // Assess
    expect(rootPass!.Compliance.Status).toBe('PASSED');
    expect(rootPass!.Description).toContain(` Warning: ${warning} Warning: another`);
    expect(rootPass!.ProductFields['trailwatch/warnings']).toBe(`${warning} | another`);
    expect(asffProblems(rootPass!)).toEqual([]);
  });

  it("takes the titles from the catalogue by default", () => {
    // Act
    const [rootPass] = renderAsff(sampleReport(), { awsAccountId: '999999999999', region: 'eu-west-1' });
    // Assess
    expect(rootPass!.Title).toBe("CIS 4.3 Ensure usage of the 'root' account is monitored");
  });

  it('uses the product ARN it is given', () => {
    // Act
    const [first] = renderAsff(sampleReport(), { ...OPTIONS, productArn: 'arn:aws:securityhub:eu-west-1:999999999999:product/acme/scanner' });
    // Assess
    expect(first!.ProductArn).toBe('arn:aws:securityhub:eu-west-1:999999999999:product/acme/scanner');
  });
});
