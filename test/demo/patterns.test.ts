import { CHECK_SLUGS } from '../../src/controls/types';
import { EVENT_NAMES, patternMissing, REFERENCE_PATTERNS_V4, REFORMATTED_PATTERNS_V4 } from '../../src/demo';

const withoutWhitespace = (text: string) => text.replace(/\s+/g, '');

describe('demo patterns', () => {
  it.each(CHECK_SLUGS)('rewrites %s so that a whitespace-insensitive text comparison rejects it', (check) => {
    expect(withoutWhitespace(REFORMATTED_PATTERNS_V4[check])).not.toBe(withoutWhitespace(REFERENCE_PATTERNS_V4[check]));
  });

  it.each(CHECK_SLUGS)('keeps %s within the 1024 characters a filter pattern may have', (check) => {
    expect(REFERENCE_PATTERNS_V4[check].length).toBeLessThanOrEqual(1024);
    expect(REFORMATTED_PATTERNS_V4[check].length).toBeLessThanOrEqual(1024);
  });

  it.each(Object.keys(EVENT_NAMES) as (keyof typeof EVENT_NAMES)[])('names every event of %s in the reference and the rewrite', (check) => {
    for (const name of EVENT_NAMES[check]) {
      expect(REFERENCE_PATTERNS_V4[check]).toMatch(new RegExp(`\\$\\.eventName\\s*=\\s*"?${name}"?[)\\s|]`));
      expect(REFORMATTED_PATTERNS_V4[check]).toMatch(new RegExp(`\\$\\.eventName=("${name}"|${name})[)|}]`));
    }
  });

  it('leaves out exactly the missing event name and keeps the rest', () => {
    const pattern = patternMissing('iam_policy_changes', ['DetachGroupPolicy']);
    expect(pattern).not.toContain('DetachGroupPolicy');
    for (const name of EVENT_NAMES.iam_policy_changes.filter((n) => n !== 'DetachGroupPolicy')) expect(pattern).toContain(`($.eventName = ${name})`);
  });

  it('keeps the event source of a check whose events come from one service', () => {
    expect(patternMissing('cmk_disable_or_scheduled_deletion', ['ScheduleKeyDeletion'])).toBe(
      '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey)) }',
    );
  });
});
