import { ExceptionsFileError, latestExpiry, parseExceptions } from '../../src/exceptions';

const NOW = new Date('2026-12-04T15:00:00Z');

function problem(text: string): ExceptionsFileError {
  try {
    parseExceptions(text, { now: NOW, source: 'x.yml' });
  } catch (error) {
    if (error instanceof ExceptionsFileError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

const ENTRY = `
  - accounts: ['012345678901']
    checks: [root_usage]
    reason: break-glass use
    approvedBy: ciso@example.com
    expires: 2027-01-31`;

describe('parseExceptions', () => {
  it('reads a YAML file: account IDs keep their leading zero and dates stay dates', () => {
    const rules = parseExceptions(`exceptions:${ENTRY}\n  - id: sandbox\n    ous: [ou-ab12-cd34ef56]\n    regions: [eu-west-1]\n    checks: all\n    kind: siem\n    reason: SIEM\n    approvedBy: me\n    expires: 2027-12-04\n`, {
      now: NOW,
      source: 'x.yml',
    });

    expect(rules).toEqual({
      source: 'x.yml',
      rules: [
        { entry: 1, accounts: ['012345678901'], ous: [], checks: ['root_usage'], reason: 'break-glass use', approvedBy: 'ciso@example.com', expires: '2027-01-31' },
        { entry: 2, id: 'sandbox', accounts: [], ous: ['ou-ab12-cd34ef56'], regions: ['eu-west-1'], checks: 'all', kind: 'siem', reason: 'SIEM', approvedBy: 'me', expires: '2027-12-04' },
      ],
    });
  });

  it('reads the same file written as JSON', () => {
    const json = JSON.stringify({
      exceptions: [{ accounts: ['012345678901'], checks: ['root_usage'], reason: 'break-glass use', approvedBy: 'ciso@example.com', expires: '2027-01-31' }],
    });

    expect(parseExceptions(json, { now: NOW }).rules[0]?.accounts).toEqual(['012345678901']);
  });

  it('accepts an expiry exactly a year ahead and refuses the next day, naming the entry and the field', () => {
    expect(latestExpiry(NOW)).toBe('2027-12-04');
    const error = problem(`exceptions:${ENTRY.replace('2027-01-31', '2027-12-05')}`);

    expect(error.message).toBe(
      "exceptions file x.yml: entry 1, expires: '2027-12-05' is more than a year ahead: accepted risk is reviewed at least yearly (at most 2027-12-04)",
    );
    expect([error.entry, error.field]).toEqual([1, 'expires']);
  });

  it('keeps a year ahead of 29 February on the last day of February', () => {
    expect(latestExpiry(new Date('2028-02-29T12:00:00Z'))).toBe('2029-02-28');
  });

  it.each([
    ['reason', ENTRY.replace('    reason: break-glass use\n', ''), 'entry 1, reason: required: why the risk is accepted'],
    ['approvedBy', ENTRY.replace('ciso@example.com', "''"), 'entry 1, approvedBy: required: who accepted the risk'],
    ['expires', ENTRY.replace('2027-01-31', '2027-02-30'), "entry 1, expires: '2027-02-30' is not a date (YYYY-MM-DD)"],
    ['accounts', ENTRY.replace("['012345678901']", "['12345']"), "entry 1, accounts[0]: '12345' is not a 12-digit account ID (e.g. '123456789012')"],
    ['checks', ENTRY.replace('root_usage', 'root_usag'), "entry 1, checks[0]: 'root_usag' is not a check"],
    ['kind', `${ENTRY}\n    kind: auditor`, "entry 1, kind: 'auditor' is not a kind (siem)"],
    ['scope', ENTRY.replace("  - accounts: ['012345678901']\n    checks", '  - checks'), 'entry 1, accounts: required: accounts or ous (or both)'],
    ['unknown field', `${ENTRY}\n    expiry: 2027-01-01`, "entry 1: unknown field 'expiry' (expected id, accounts, ous, regions, checks, reason, approvedBy, expires, kind)"],
  ])('names the entry and field when %s is wrong', (_what, entry, message) => {
    expect(problem(`exceptions:${entry}`).message).toContain(message);
  });

  it('names every wrong entry, with its id when it has one', () => {
    const error = problem(`exceptions:${ENTRY}\n  - id: second${ENTRY.replace('  - accounts', '    accounts').replace('2027-01-31', 'soon')}`);

    expect(error.message).toBe("exceptions file x.yml: entry 2 ('second'), expires: 'soon' is not a date (YYYY-MM-DD)");
    expect(error.entry).toBe(2);
  });

  it('refuses two entries with one id', () => {
    expect(problem(`exceptions:\n  - id: a${ENTRY.replace('  - accounts', '    accounts')}\n  - id: a${ENTRY.replace('  - accounts', '    accounts')}`).message).toBe(
      "exceptions file x.yml: entry 2, id: 'a' is already the id of entry 1",
    );
  });

  it('says where a file that is not YAML breaks', () => {
    expect(problem('exceptions:\n  - accounts: [1\n').message).toMatch(/^exceptions file x\.yml is not YAML or JSON \(line \d+, column \d+\): /);
  });

  it('refuses a file of another shape', () => {
    expect(problem('- a\n- b\n').message).toBe('exceptions file x.yml: expected a mapping with one key, exceptions: a list of entries');
    expect(problem('exceptions: []\nversion: 2\n').message).toBe("exceptions file x.yml: unknown top-level key 'version' (the file has one key, exceptions)");
    expect(problem('').message).toBe('exceptions file x.yml: expected a mapping with one key, exceptions: a list of entries');
  });
});
