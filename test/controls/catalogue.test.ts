import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BENCHMARK_IDS,
  CHECK_SLUGS,
  CheckNotInBenchmarkError,
  UnknownBenchmarkError,
  UnknownCheckError,
  checkDefinition,
  controlsFor,
  parseCheckSlugs,
  resolveBenchmark,
} from '../../src/controls';
import { UsageError } from '../../src/errors';
import { covers, parsePattern } from '../../src/pattern';

describe('Module: controls', () => {
  describe('Function: controlsFor', () => {
    it.each(BENCHMARK_IDS.map((id) => [id, id === 'cis-aws-v1.2.0' ? 14 : 15] as const))('gives %s %i controls', (benchmark, count) => {
      // Act
      const controls = controlsFor(benchmark);

      // Assess
      expect(controls).toHaveLength(count);
      expect(new Set(controls.map((control) => control.check)).size).toBe(count);
    });

    it.each([
      ['cis-aws-v1.2.0', '3.3'],
      ['cis-aws-v1.3.0', '4.3'],
      ['cis-aws-v1.4.0', '4.3'],
      ['cis-aws-v1.5.0', '4.3'],
      ['cis-aws-v2.0.0', '4.3'],
      ['cis-aws-v3.0.0', '4.3'],
      ['cis-aws-v4.0.0', '4.3'],
      ['cis-aws-v5.0.0', '4.3'],
      ['cis-aws-v6.0.0', '5.3'],
      ['cis-aws-v7.0.0', '5.3'],
    ] as const)('numbers root_usage in %s as %s', (benchmark, control) => {
      // Act
      const [rootUsage] = controlsFor(benchmark, ['root_usage']);

      // Assess
      expect(rootUsage?.control).toBe(control);
    });

    it('orders controls by number, 4.10 after 4.9', () => {
      // Act
      const numbers = controlsFor('cis-aws-v4.0.0').map((control) => control.control);

      // Assess
      expect(numbers).toEqual(['4.1', '4.2', '4.3', '4.4', '4.5', '4.6', '4.7', '4.8', '4.9', '4.10', '4.11', '4.12', '4.13', '4.14', '4.15']);
    });

    it('orders a selection by control number, not by the order given', () => {
      // Act
      const controls = controlsFor('cis-aws-v6.0.0', ['vpc_changes', 'unauthorized_api_calls', 'vpc_changes']);

      // Assess
      expect(controls.map((control) => control.control)).toEqual(['5.1', '5.14']);
    });

    it('refuses a check the benchmark does not have with a usage error naming both', () => {
      // Act
      const act = () => controlsFor('cis-aws-v1.2.0', ['root_usage', 'organizations_changes']);

      // Assess
      expect(act).toThrow(CheckNotInBenchmarkError);
      expect(act).toThrow(UsageError);
      expect(act).toThrow(/cis-aws-v1\.2\.0 has no organizations_changes/);
    });

    it('replaces the all-OR unauthorized-calls pattern of v1.3.0 to v1.5.0 by the v2.0.0 form, with a note', () => {
      // Prepare
      const [v2] = controlsFor('cis-aws-v2.0.0', ['unauthorized_api_calls']);

      for (const benchmark of ['cis-aws-v1.3.0', 'cis-aws-v1.4.0', 'cis-aws-v1.5.0'] as const) {
        // Act
        const [control] = controlsFor(benchmark, ['unauthorized_api_calls']);

        // Assess
        expect(control?.corrected).toBe(true);
        expect(control?.printedPattern).toContain('|| ($.eventName!="HeadBucket")');
        expect(control?.referencePattern).toBe(v2?.referencePattern);
        expect(control?.notes.join(' ')).toMatch(/matches nearly every event/);
      }
    });

    it('accepts the parenthesised intent of the unauthorized-calls exclusions from v1.3.0 on, and says so', () => {
      // Act
      const [control] = controlsFor('cis-aws-v4.0.0', ['unauthorized_api_calls']);

      // Assess
      expect(control?.acceptedPatterns).toHaveLength(2);
      expect(control?.acceptedPatterns[1]).toMatch(/^\{ \(\(\$\.errorCode = "\*UnauthorizedOperation"\) \|\| \(\$\.errorCode = "AccessDenied\*"\)\) && /);
      expect(control?.notes.join(' ')).toMatch(/A \|\| \(B && C && D\)/);
    });

    it('corrects the $eventName typo of v1.3.0 4.4, with a note', () => {
      // Act
      const [control] = controlsFor('cis-aws-v1.3.0', ['iam_policy_changes']);

      // Assess
      expect(control?.control).toBe('4.4');
      expect(control?.printedPattern).toContain('($eventName=DetachRolePolicy)');
      expect(control?.referencePattern).not.toContain('$eventName');
      expect(control?.referencePattern).toContain('($.eventName=DetachGroupPolicy)');
      expect(control?.notes.join(' ')).toMatch(/\$eventName/);
    });

    it('corrects the missing quote of v6.0.0 5.15, with a note', () => {
      // Act
      const [control] = controlsFor('cis-aws-v6.0.0', ['organizations_changes']);

      // Assess
      expect(control?.control).toBe('5.15');
      expect(control?.printedPattern).toContain('($.eventName = AcceptHandshake")');
      expect(control?.referencePattern).toContain('($.eventName = "AcceptHandshake")');
      expect(control?.notes.join(' ')).toMatch(/opening quote/);
    });

    it('gives v7.0.0 the fifteen metric-filter controls of v6.0.0, 5.1 to 5.15, each catching the same events', () => {
      // Prepare
      const v6 = controlsFor('cis-aws-v6.0.0');

      // Act
      const v7 = controlsFor('cis-aws-v7.0.0');

      // Assess: same numbers, titles, levels and status; patterns equal in what they match (spacing differs)
      const shape = (controls: typeof v6) => controls.map(({ check, control, title, level, assessment }) => ({ check, control, title, level, assessment }));
      expect(shape(v7)).toEqual(shape(v6));
      expect(v7.map((control) => control.control)).toEqual(Array.from({ length: 15 }, (_, index) => `5.${index + 1}`));
      for (const [index, control] of v7.entries()) {
        const before = v6[index];
        expect(before).toBeDefined();
        if (!before) continue;
        expect(control.acceptedPatterns).toHaveLength(before.acceptedPatterns.length);
        control.acceptedPatterns.forEach((pattern, which) => {
          const other = before.acceptedPatterns[which] ?? '';
          expect(`${control.check} ${covers(pattern, other).verdict} ${covers(other, pattern).verdict}`).toBe(`${control.check} covered covered`);
        });
      }
    });

    it("does not carry v6.0.0's missing quote into v7.0.0 5.15, and says why", () => {
      // Act
      const [control] = controlsFor('cis-aws-v7.0.0', ['organizations_changes']);

      // Assess
      expect(control?.corrected).toBe(false);
      expect(control?.referencePattern).toContain('($.eventName = "AcceptHandshake")');
      expect(control?.notes.join(' ')).toMatch(/whether v7\.0\.0 repeats the typo is not known/);
    });

    it('leaves uncorrected controls without a printed pattern', () => {
      // Act
      const corrected = BENCHMARK_IDS.flatMap((benchmark) => controlsFor(benchmark)).filter((control) => control.corrected);

      // Assess
      expect(corrected.map((control) => `${control.benchmark} ${control.control}`).sort()).toEqual([
        'cis-aws-v1.3.0 4.1',
        'cis-aws-v1.3.0 4.4',
        'cis-aws-v1.4.0 4.1',
        'cis-aws-v1.5.0 4.1',
        'cis-aws-v6.0.0 5.15',
      ]);
    });

    it('accepts the SSO variant of console sign-in without MFA where the benchmark offers it', () => {
      // Act
      const [v13] = controlsFor('cis-aws-v1.3.0', ['console_signin_without_mfa']);
      const [v14] = controlsFor('cis-aws-v1.4.0', ['console_signin_without_mfa']);

      // Assess
      expect(v13?.acceptedPatterns).toHaveLength(1);
      expect(v14?.acceptedPatterns).toHaveLength(2);
      expect(v14?.acceptedPatterns[1]).toContain('($.userIdentity.type = "IAMUser")');
    });

    it('adds ModifySecurityGroupRules from v5.0.0 on', () => {
      // Act
      const [v4] = controlsFor('cis-aws-v4.0.0', ['security_group_changes']);
      const [v5] = controlsFor('cis-aws-v5.0.0', ['security_group_changes']);

      // Assess
      expect(v4?.referencePattern).not.toContain('ModifySecurityGroupRules');
      expect(v5?.referencePattern).toContain('ModifySecurityGroupRules');
    });

    it('holds alternatives that only narrow the primary reference, so covering ANY accepted one is the right test', () => {
      // Prepare
      const withAlternatives = BENCHMARK_IDS.flatMap((benchmark) => controlsFor(benchmark)).filter((control) => control.acceptedPatterns.length > 1);

      // Act
      const verdicts = withAlternatives.flatMap((control) =>
        control.acceptedPatterns.slice(1).map((alternative) => `${control.benchmark} ${control.check} ${covers(control.referencePattern, alternative).verdict}`),
      );

      // Assess
      expect(withAlternatives.length).toBeGreaterThan(10);
      for (const verdict of verdicts) expect(verdict).toMatch(/ covered$/);
    });

    it('holds accepted patterns that parse and fit the 1024-character limit', () => {
      // Prepare
      const patterns = BENCHMARK_IDS.flatMap((benchmark) => controlsFor(benchmark)).flatMap((control) => control.acceptedPatterns);

      // Act & Assess
      for (const pattern of patterns) expect(() => parsePattern(pattern)).not.toThrow();
    });
  });

  describe('Function: resolveBenchmark', () => {
    it.each([
      ['cis-aws-v4.0.0', 'cis-aws-v4.0.0'],
      ['v4.0.0', 'cis-aws-v4.0.0'],
      ['4.0.0', 'cis-aws-v4.0.0'],
      ['4.0', 'cis-aws-v4.0.0'],
      ['4', 'cis-aws-v4.0.0'],
      ['V6', 'cis-aws-v6.0.0'],
      ['7', 'cis-aws-v7.0.0'],
      ['cis-aws-v7.0.0', 'cis-aws-v7.0.0'],
      [' 1.2 ', 'cis-aws-v1.2.0'],
      ['CIS-AWS-v1.5.0', 'cis-aws-v1.5.0'],
    ] as const)('reads %j as %s', (input, expected) => {
      // Act & Assess
      expect(resolveBenchmark(input)).toBe(expected);
    });

    it('refuses an unknown version with a usage error listing the valid ones', () => {
      // Act
      const act = () => resolveBenchmark('v8.0.0');

      // Assess
      expect(act).toThrow(UnknownBenchmarkError);
      expect(act).toThrow(UsageError);
      expect(act).toThrow(/cis-aws-v1\.2\.0, .*cis-aws-v7\.0\.0/);
    });

    it('refuses text that is no version', () => {
      // Act & Assess
      expect(() => resolveBenchmark('latest')).toThrow(/unknown benchmark 'latest'/);
    });

    it('refuses an ambiguous short form and names the candidates', () => {
      // Act & Assess
      expect(() => resolveBenchmark('1')).toThrow(/ambiguous: it could be cis-aws-v1\.2\.0, cis-aws-v1\.3\.0, cis-aws-v1\.4\.0, cis-aws-v1\.5\.0/);
    });
  });

  describe('Function: parseCheckSlugs', () => {
    it('reads a comma-separated list, tolerating spaces, dashes, case and repeats', () => {
      // Act
      const slugs = parseCheckSlugs(' root_usage, VPC-changes,root_usage  nacl_changes');

      // Assess
      expect(slugs).toEqual(['root_usage', 'vpc_changes', 'nacl_changes']);
    });

    it('reads a list', () => {
      // Act & Assess
      expect(parseCheckSlugs(['iam_policy_changes', 'root_usage'])).toEqual(['iam_policy_changes', 'root_usage']);
    });

    it('refuses unknown slugs, naming each and the valid ones', () => {
      // Act
      const act = () => parseCheckSlugs('root_usage,root-usgae,mfa');

      // Assess
      expect(act).toThrow(UnknownCheckError);
      expect(act).toThrow(UsageError);
      expect(act).toThrow(/unknown checks 'root-usgae', 'mfa': use one or more of unauthorized_api_calls/);
    });

    it('refuses an empty list', () => {
      // Act & Assess
      expect(() => parseCheckSlugs(' , ')).toThrow(/no checks given/);
    });
  });

  describe('Function: checkDefinition', () => {
    it('gives every check a distinct default metric in the CISBenchmark namespace', () => {
      // Act
      const definitions = CHECK_SLUGS.map((slug) => checkDefinition(slug));

      // Assess
      expect(new Set(definitions.map((definition) => definition.metric.name)).size).toBe(CHECK_SLUGS.length);
      expect(definitions.every((definition) => definition.metric.namespace === 'CISBenchmark')).toBe(true);
      expect(checkDefinition('root_usage').metric.name).toBe('RootUsage');
    });

    it.each([
      ['cmk_disable_or_scheduled_deletion', ['kms.amazonaws.com'], 'regional'],
      ['s3_bucket_policy_changes', ['s3.amazonaws.com'], 'regional'],
      ['iam_policy_changes', ['iam.amazonaws.com'], 'global'],
      ['organizations_changes', ['organizations.amazonaws.com'], 'global'],
      ['console_signin_without_mfa', ['signin.amazonaws.com'], 'regional-and-global'],
      ['root_usage', 'any', 'regional-and-global'],
      ['unauthorized_api_calls', 'any', 'regional-and-global'],
      ['vpc_changes', ['ec2.amazonaws.com'], 'regional'],
    ] as const)('says where the events of %s come from', (slug, sources, scope) => {
      // Act
      const definition = checkDefinition(slug);

      // Assess
      expect(definition.eventSources).toEqual(sources);
      expect(definition.eventScope).toBe(scope);
      expect(definition).not.toHaveProperty('controls');
    });
  });

  it('never reads the shared reference file at run time', () => {
    // Prepare
    const root = join(__dirname, '../../src/controls');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));

    // Act
    const offenders = files.filter((file) => /cis-controls\.json|\/work\/shared|readFileSync/.test(readFileSync(join(root, file), 'utf8')));

    // Assess
    expect(files.length).toBeGreaterThan(15);
    expect(offenders).toEqual([]);
  });
});
