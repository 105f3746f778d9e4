import { CIS_V4, CIS_VARIANTS, cloudTrailSamples } from './support';
import { matchesEvent, parsePattern, type Pattern } from '../../src/pattern';

/**
 * 63 real CloudTrail events (public rule test cases and AWS documentation examples), labelled
 * with the CIS filters that catch them. The labels came from an unverified matcher, so each one
 * was checked against the documented semantics; they all agree.
 */
const referenceByLabel = new Map<string, Pattern>([
  ...CIS_V4.map((control) => [control.check, parsePattern(control.pattern)] as const),
  ...CIS_VARIANTS.map((variant) => [variant.label, parsePattern(variant.pattern)] as const),
]);
// The samples label the v4.0.0 texts of these two checks by the versions that share them.
const LABEL_ALIASES: Record<string, string> = {
  'unauthorized_api_calls[v2.0.0+]': 'unauthorized_api_calls',
  'security_group_changes[v1.2.0-v4.0.0]': 'security_group_changes',
};

const samples = cloudTrailSamples();

describe('the CIS v4.0.0 reference patterns on real CloudTrail events', () => {
  it('has the 63 samples and the 15 checks', () => {
    expect(samples).toHaveLength(63);
    expect(CIS_V4).toHaveLength(15);
  });

  it.each(samples.map((sample, index) => ({ index, ...sample })))('#$index $eventName: $note', ({ event, cis_expected }) => {
    // Prepare
    const expected = new Set(cis_expected.map((label) => LABEL_ALIASES[label] ?? label));

    // Act
    const matched = [...referenceByLabel].filter(([, pattern]) => matchesEvent(pattern, event)).map(([label]) => label);
    const matchedAsLine = [...referenceByLabel].filter(([, pattern]) => matchesEvent(pattern, JSON.stringify(event))).map(([label]) => label);

    // Assess
    expect(new Set(matched)).toEqual(expected);
    expect(matchedAsLine).toEqual(matched);
  });

  it('catches a root sign-in whose MFAUsed is "YES": != is case-sensitive', () => {
    const sample = samples.find((candidate) => candidate.event.additionalEventData && (candidate.event.additionalEventData as Record<string, unknown>).MFAUsed === 'YES');
    expect(sample).toBeDefined();
    expect(matchesEvent(referenceByLabel.get('console_signin_without_mfa') as Pattern, sample?.event)).toBe(true);
  });

  it('does not count a VpceAccessDenied error as AccessDenied*', () => {
    const sample = samples.find((candidate) => candidate.event.errorCode === 'VpceAccessDenied');
    expect(sample).toBeDefined();
    expect(matchesEvent(referenceByLabel.get('unauthorized_api_calls') as Pattern, sample?.event)).toBe(false);
  });
});
