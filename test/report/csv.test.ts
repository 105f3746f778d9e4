import { CSV_COLUMNS, renderCsv } from '../../src/report';
import { finding, sampleReport } from './fixtures';

/** RFC 4180 reader, just enough to read back what renderCsv wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}

describe('renderCsv', () => {
  it('writes a header and one row per finding, sorted by control then account', () => {
    // Act
    const rows = parseCsv(renderCsv(sampleReport()));
    // Assess
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['111111111111', 'root_usage', '4.3', 'PASS'],
      ['222222222222', 'root_usage', '4.3', 'FAIL'],
      ['111111111111', 'iam_policy_changes', '4.4', 'PASS'],
      ['222222222222', 'iam_policy_changes', '4.4', 'ERROR'],
    ]);
  });

  it('keeps reasons with commas and quotes intact and fills the evidence columns', () => {
    // Act
    const [header, , fail] = parseCsv(renderCsv(sampleReport()));
    const cell = (name: string) => fail![header!.indexOf(name)];
    // Assess
    expect(cell('brokenLink')).toBe('metricFilter');
    expect(cell('uncoveredRegions')).toBe('us-east-1 eu-west-1');
    expect(cell('reason')).toBe("filter 'root-usage' misses events where userIdentity.invokedBy is set");
    expect(cell('fix')).toContain('--filter-pattern \'{ $.userIdentity.type = "Root" }\'');
    expect(cell('trail')).toBe('arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail');
    expect(cell('metricFilter')).toBe('root-usage');
    expect(cell('alarm')).toBe('');
  });

  it('escapes a cell a spreadsheet would run as a formula', () => {
    // Prepare
    const report = { ...sampleReport(), findings: [finding({ accountId: '1', check: 'root_usage', control: '4.3', status: 'FAIL', reason: '=HYPERLINK("x")' })] };
    // Act
    const [header, row] = parseCsv(renderCsv(report));
    // Assess
    expect(row![header!.indexOf('reason')]).toBe('\'=HYPERLINK("x")');
  });
});
