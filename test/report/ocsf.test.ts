/**
 * --format ocsf: every object is checked against the OCSF Compliance Finding class as the schema
 * defines it (fixtures/ocsf-1.7.0-compliance-finding.json, generated from ocsf/ocsf-schema v1.7.0:
 * its required attributes, the required attributes of the objects filled, and the enums used).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exceptReport } from '../../src/exceptions';
import { renderOcsf } from '../../src/report';
import { ROOT_USAGE_FAIL, sampleReport } from './fixtures';

interface ObjectRule {
  required: string[];
  at_least_one?: string[];
}
const schema = JSON.parse(readFileSync(join(__dirname, 'fixtures/ocsf-1.7.0-compliance-finding.json'), 'utf8')) as {
  version: string;
  class: { category_uid: number; class_uid: number; required: string[] };
  enums: Record<string, number[]>;
  objects: Record<string, ObjectRule>;
  attribute_objects: Record<string, string>;
};

/** Every problem of one event against the class, in words. */
function problems(event: Record<string, unknown>): string[] {
  const out: string[] = [];
  const object = (value: unknown, name: string, where: string) => {
    const rule = schema.objects[name] as ObjectRule;
    const record = value as Record<string, unknown>;
    for (const key of rule.required) if (record[key] === undefined) out.push(`${where}.${key} is required`);
    if (rule.at_least_one && !rule.at_least_one.some((key) => record[key] !== undefined)) out.push(`${where} needs one of ${rule.at_least_one.join(', ')}`);
  };
  for (const key of schema.class.required) if (event[key] === undefined) out.push(`${key} is required`);
  if (event.class_uid !== schema.class.class_uid) out.push('class_uid');
  if (event.category_uid !== schema.class.category_uid) out.push('category_uid');
  if (event.type_uid !== (event.class_uid as number) * 100 + (event.activity_id as number)) out.push('type_uid is class_uid * 100 + activity_id');
  if (typeof event.time !== 'number' || !Number.isInteger(event.time)) out.push('time is a timestamp in milliseconds');
  for (const [field, values] of Object.entries(schema.enums)) {
    const [parent, child] = field.includes('.') ? field.split('.') : [undefined, field];
    const value = parent ? (event[parent] as Record<string, unknown> | undefined)?.[child as string] : event[child as string];
    if (value !== undefined && !values.includes(value as number)) out.push(`${field} ${String(value)} is not in the enum`);
  }
  for (const [attribute, name] of Object.entries(schema.attribute_objects)) {
    const value = event[attribute];
    if (value === undefined) continue;
    if (Array.isArray(value)) value.forEach((item, i) => object(item, name, `${attribute}[${i}]`));
    else object(value, name, attribute);
  }
  object((event.metadata as Record<string, unknown>).product, 'product', 'metadata.product');
  const account = (event.cloud as Record<string, unknown> | undefined)?.account;
  if (account) object(account, 'account', 'cloud.account');
  return out;
}

describe('renderOcsf', () => {
  const report = exceptReport(
    sampleReport(),
    { rules: [{ entry: 1, accounts: [ROOT_USAGE_FAIL.accountId], ous: [], checks: ['root_usage'], reason: 'drill', approvedBy: 'ciso', expires: '2027-01-31' }] },
    { now: new Date('2026-12-04T12:00:00Z') },
  );
  const events = renderOcsf(report, { productVersion: '0.1.0' });

  it('writes one Compliance Finding per finding, each valid against the class', () => {
    expect(events).toHaveLength(report.findings.length);
    for (const event of events) expect(problems(event)).toEqual([]);
    expect(events[0]?.metadata).toMatchObject({ version: schema.version });
  });

  it('the validator catches what is missing or out of range', () => {
    const broken = { ...events[0], finding_info: {}, severity_id: 42, metadata: { product: {} } } as Record<string, unknown>;
    delete broken.compliance;

    expect(problems(broken)).toEqual([
      'compliance is required',
      'severity_id 42 is not in the enum',
      'metadata.version is required',
      'finding_info.uid is required',
      'metadata.product needs one of name, uid',
    ]);
  });

  it('carries status, compliance with the crosswalk, the broken link\'s resource first, remediation and the exception', () => {
    const event = events.find((e) => e.finding_info.uid === `trailwatch/cis-aws-v4.0.0/${ROOT_USAGE_FAIL.accountId}/root_usage`) as Record<string, unknown>;

    expect(event).toMatchObject({
      status_id: 3,
      status: 'Suppressed',
      severity_id: 3,
      compliance: {
        standards: ['CIS AWS Foundations Benchmark v4.0.0'],
        control: '4.3',
        status_id: 3,
        status_code: 'FAIL',
        requirements: ['CIS AWS Foundations Benchmark v4.0.0/4.3', 'PCI DSS v3.2.1/7.2.1', 'ISO/IEC 27001:2022 Annex A/A.8.15', 'ISO/IEC 27001:2022 Annex A/A.8.16', 'APRA CPS 234/CPS 234 para 23'],
      },
      remediation: { desc: ROOT_USAGE_FAIL.fix },
      unmapped: { exception: { reason: 'drill', approvedBy: 'ciso', expires: '2027-01-31' } },
    });
    // The broken link is the metric filter, which lives on (and is named by) its log group.
    expect((event.resources as { uid: string }[])[0]?.uid).toBe(ROOT_USAGE_FAIL.evidence.logGroup);
    const passing = events.find((e) => (e.compliance as { status_code: string }).status_code === 'PASS') as Record<string, unknown>;
    expect(passing).toMatchObject({ status_id: 4, severity_id: 1, compliance: { status_id: 1 } });
    expect(passing.remediation).toBeUndefined();
  });
});
