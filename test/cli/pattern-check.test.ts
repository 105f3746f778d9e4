import { linesOf, runCli } from './run-cli';

/** The event names of CIS v4.0.0 4.4 (IAM policy changes), in the benchmark's order. */
const IAM_EVENTS = [
  'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy',
  'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy',
  'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
];
/** The benchmark's text: `{($.eventName=DeleteGroupPolicy)||...||($.eventName=DetachGroupPolicy)}`. */
const cisText = (names: string[]) => `{${names.map((name) => `($.eventName=${name})`).join('||')}}`;
const IAM_WITHOUT_DETACH_GROUP = cisText(IAM_EVENTS.filter((name) => name !== 'DetachGroupPolicy'));
const CONSOLE_SSO_VARIANT =
  '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }';

const check = (slug: string, pattern: string, ...more: string[]) => runCli(['pattern', 'check', '--check', slug, '--pattern', pattern, ...more]);

describe('trailwatch pattern check', () => {
  it('exits 1 and names DetachGroupPolicy when the v4.0.0 text lacks it', async () => {
    // Act
    const { code, stdout } = await check('iam_policy_changes', IAM_WITHOUT_DETACH_GROUP);
    // Assess
    expect(code).toBe(1);
    expect(linesOf(stdout)[0]).toMatch(/^not covered: .*DetachGroupPolicy/);
    expect(stdout).toContain('"eventName":"DetachGroupPolicy"');
  });

  it('exits 0 for the v4.0.0 text with all whitespace removed and its alternatives reversed', async () => {
    // Prepare
    const reversed = cisText([...IAM_EVENTS].reverse()).replace(/\s+/g, '');
    // Act
    const { code, stdout } = await check('iam_policy_changes', reversed, '--benchmark', 'v4.0.0');
    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe('covered: the pattern catches every event the reference pattern of iam_policy_changes (CIS 4.4, cis-aws-v4.0.0) catches\n');
  });

  it('exits 0 for the same alternatives spaced out, quoted and reordered', async () => {
    // Prepare
    const spaced = `{ ${[...IAM_EVENTS].reverse().map((name) => `$.eventName = "${name}"`).join(' || ')} }`;
    // Act
    const { code } = await check('iam_policy_changes', spaced);
    // Assess
    expect(code).toBe(0);
  });

  it('writes the contract JSON with counter-examples when not covered', async () => {
    // Act
    const { code, stdout } = await check('iam_policy_changes', IAM_WITHOUT_DETACH_GROUP, '--format', 'json');
    // Assess
    expect(code).toBe(1);
    const verdict = JSON.parse(stdout);
    expect(Object.keys(verdict).slice(0, 5)).toEqual(['check', 'benchmark', 'covered', 'counterexamples', 'explanation']);
    expect(verdict).toMatchObject({ check: 'iam_policy_changes', benchmark: 'cis-aws-v4.0.0', covered: false });
    expect(verdict.counterexamples.length).toBeGreaterThan(0);
    expect(verdict.counterexamples.every((event: { eventName?: string }) => event.eventName === 'DetachGroupPolicy')).toBe(true);
    expect(verdict.explanation).toContain('DetachGroupPolicy');
  });

  it('writes covered true in JSON and exits 0 when covered', async () => {
    // Act
    const { code, stdout } = await check('iam_policy_changes', cisText(IAM_EVENTS), '--format', 'json');
    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ check: 'iam_policy_changes', benchmark: 'cis-aws-v4.0.0', covered: true });
  });

  it('exits 1 for an extra condition that silences events', async () => {
    // Act
    const { code, stdout } = await check(
      'root_usage',
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" && $.awsRegion = "us-east-1" }',
    );
    // Assess
    expect(code).toBe(1);
    expect(stdout).toMatch(/^not covered: /);
  });

  it("says the gap its counter-examples show: a string where the pattern takes only numbers or absence (issue 11's example)", async () => {
    // Act
    const { code, stdout } = await check(
      'root_usage',
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" && ($.x > 5 || $.x <= 5 || $.x NOT EXISTS) }',
      '--format',
      'json',
    );
    // Assess
    expect(code).toBe(1);
    const verdict = JSON.parse(stdout) as { counterexamples: { x?: unknown }[]; explanation: string };
    const [shown] = verdict.counterexamples.map((event) => event.x);
    expect(typeof shown).toBe('string');
    expect(verdict.explanation).toBe(
      `misses events where x is a string (here x = ${JSON.stringify(shown)}), since it requires x to be a number or absent ($.x > 5 || $.x <= 5 || $.x NOT EXISTS), which the reference does not`,
    );
  });

  it('accepts a pattern that covers one of several accepted references (the SSO variant of console sign-in)', async () => {
    // Act
    const { code } = await check('console_signin_without_mfa', CONSOLE_SSO_VARIANT);
    // Assess
    expect(code).toBe(0);
  });

  it('exits 1 saying it cannot verify when the engine cannot settle coverage, never guessing yes', async () => {
    // Prepare: an anchored regex term on raw text, which every event's text matches and coverage does not prove
    const terms = '%^.%';
    // Act
    const text = await check('root_usage', terms);
    const json = await check('root_usage', terms, '--format', 'json');
    // Assess
    expect([text.code, json.code]).toEqual([1, 1]);
    expect(text.stdout).toMatch(/^cannot verify that the pattern covers root_usage \(CIS 4\.3, cis-aws-v4\.0\.0\): .*term pattern/);
    expect(JSON.parse(json.stdout)).toEqual({
      check: 'root_usage',
      benchmark: 'cis-aws-v4.0.0',
      covered: false,
      counterexamples: [],
      explanation: expect.stringMatching(/^cannot verify: .*term pattern/),
      control: '4.3',
      undetermined: true,
    });
  });

  it('decides a wildcard selector, and a term every root event writes into its text', async () => {
    // Act
    const wildcard = await check('root_usage', '{ $.userIdentity.* = "Root" }');
    const term = await check('root_usage', 'Root');
    // Assess
    expect([wildcard.code, term.code]).toEqual([0, 0]);
  });

  it('shows the note where the catalogue corrects the benchmark', async () => {
    // Act
    const { code, stdout } = await check('organizations_changes', '{ $.eventSource = "organizations.amazonaws.com" }', '--benchmark', 'v6.0.0');
    // Assess
    expect(code).toBe(0);
    expect(linesOf(stdout)[1]).toMatch(/^note: .*AcceptHandshake/);
  });

  it('exits 2 with {"parseError":{"message","offset"}} for a pattern that does not parse', async () => {
    // Act
    const { code, stdout } = await check('root_usage', '{ $.eventName = }', '--format', 'json');
    // Assess
    expect(code).toBe(2);
    const { parseError } = JSON.parse(stdout);
    expect(Object.keys(parseError)).toEqual(['message', 'offset']);
    expect(parseError.message).toEqual(expect.any(String));
    expect(parseError.offset).toBe(16);
  });

  it('shows where a pattern does not parse with a caret under the offset', async () => {
    // Act
    const { code, stdout, stderr } = await check('root_usage', '{ $.eventName = }');
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const [message, snippet, caret] = linesOf(stderr);
    expect(message).toMatch(/^trailwatch pattern check: the pattern does not parse: /);
    expect(snippet).toBe('  { $.eventName = }');
    expect(caret).toBe(`  ${' '.repeat(16)}^`);
  });

  it('exits 2 for a check the benchmark does not have', async () => {
    // Act
    const { code, stderr } = await check('organizations_changes', '{ $.eventSource = organizations.amazonaws.com }', '--benchmark', 'v1.2.0');
    // Assess
    expect(code).toBe(2);
    expect(linesOf(stderr)).toHaveLength(1);
    expect(stderr).toContain('organizations_changes');
  });

  it('exits 2 for a check that does not exist', async () => {
    // Act
    const { code, stderr } = await check('root_usag', '{ $.a = 1 }');
    // Assess
    expect(code).toBe(2);
    expect(linesOf(stderr)).toHaveLength(1);
    expect(stderr).toContain("argument 'root_usag' is invalid");
  });

  it('exits 2 when --check or --pattern is missing', async () => {
    // Act
    const noPattern = await runCli(['pattern', 'check', '--check', 'root_usage']);
    const noCheck = await runCli(['pattern', 'check', '--pattern', '{ $.a = 1 }']);
    // Assess
    expect([noPattern.code, noCheck.code]).toEqual([2, 2]);
    expect(noPattern.stderr).toContain("required option '-p, --pattern <pattern>' not specified");
    expect(noCheck.stderr).toContain("required option '-c, --check <slug>' not specified");
  });

  describe('CloudTrail-aware scope and --strict', () => {
    const guarded = `{ ($.eventSource = iam.amazonaws.com) && (${IAM_EVENTS.map((name) => `($.eventName = ${name})`).join(' || ')}) }`;

    it('exits 0 for a filter narrowed to iam.amazonaws.com, saying why in text and with cloudtrailAware in JSON', async () => {
      // Act
      const text = await check('iam_policy_changes', guarded);
      const json = await check('iam_policy_changes', guarded, '--format', 'json');
      // Assess
      expect([text.code, json.code]).toEqual([0, 0]);
      expect(linesOf(text.stdout)[0]).toMatch(
        /^covered: the pattern catches every event of iam_policy_changes \(CIS 4\.4, cis-aws-v4\.0\.0\) that CloudTrail can emit: only iam\.amazonaws\.com AwsApiCall events are in scope of 4\.4/,
      );
      expect(JSON.parse(json.stdout)).toEqual({
        check: 'iam_policy_changes',
        benchmark: 'cis-aws-v4.0.0',
        covered: true,
        control: '4.4',
        cloudtrailAware: true,
        scope: expect.stringMatching(/^only iam\.amazonaws\.com AwsApiCall events are in scope of 4\.4 \(IAM policy changes\); CreatePolicy/),
      });
    });

    it('exits 1 with --strict, the counter-example an event of another source', async () => {
      // Act
      const text = await check('iam_policy_changes', guarded, '--strict');
      const json = await check('iam_policy_changes', guarded, '--strict', '--format', 'json');
      // Assess
      expect([text.code, json.code]).toEqual([1, 1]);
      expect(text.stdout).toMatch(/^not covered: /);
      const verdict = JSON.parse(json.stdout);
      expect(verdict).toMatchObject({ covered: false });
      expect(verdict).not.toHaveProperty('cloudtrailAware');
      expect(verdict.counterexamples.every((event: { eventSource?: string }) => event.eventSource !== 'iam.amazonaws.com')).toBe(true);
    });

    it('leaves cloudtrailAware out when the text alone decides', async () => {
      // Act
      const { stdout } = await check('iam_policy_changes', cisText(IAM_EVENTS), '--format', 'json');
      // Assess
      expect(JSON.parse(stdout)).not.toHaveProperty('cloudtrailAware');
    });

    it('fails a wrong eventSource with a real IAM event as counter-example', async () => {
      // Act
      const { code, stdout } = await check('iam_policy_changes', '{ $.eventSource = s3.amazonaws.com }', '--format', 'json');
      // Assess
      expect(code).toBe(1);
      const verdict = JSON.parse(stdout);
      expect(verdict.counterexamples.length).toBeGreaterThan(0);
      expect(verdict.counterexamples.every((event: { eventSource?: string }) => event.eventSource === 'iam.amazonaws.com')).toBe(true);
    });
  });

  describe('noise', () => {
    it('exits 0 for { $.eventName = * } with a warning naming a routine event, in text and JSON', async () => {
      // Act
      const text = await check('iam_policy_changes', '{ $.eventName = * }');
      const json = await check('iam_policy_changes', '{ $.eventName = * }', '--format', 'json');
      // Assess
      expect([text.code, json.code]).toEqual([0, 0]);
      expect(linesOf(text.stdout)[1]).toBe(
        'warning: the pattern also matches routine activity such as ec2.amazonaws.com DescribeInstances by an IAM user, so an alarm on its metric stays in ALARM in any busy account and does not notify of IAM policy changes (an alarm notifies only when its state changes): narrow it to the cis-aws-v4.0.0 4.4 pattern',
      );
      expect(JSON.parse(json.stdout).warnings).toEqual([expect.stringContaining('routine activity such as ec2.amazonaws.com DescribeInstances')]);
    });
  });
});
