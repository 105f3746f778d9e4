/**
 * Trail rules and region coverage, on inventory fixtures (moto has neither organization trails
 * seen from members nor GetTrailStatus delivery errors, so these are data tests).
 */
import { edit, findTrail, findingFor, healthy, loadFixture, trail } from './builders';

const ACCOUNT = '111111111111';

describe('Rule: trail', () => {
  describe('logging', () => {
    it('passes when the trail is logging', () => {
      // Act
      const finding = findingFor(healthy(), 'root_usage');

      // Assess
      expect(finding.status).toBe('PASS');
      expect(finding.brokenLink).toBeNull();
      expect(finding.coveredRegions).toEqual(['us-east-1', 'eu-west-1']);
      expect(finding.uncoveredRegions).toEqual([]);
      expect(finding.evidence.trail).toBe(`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`);
    });

    it('fails when the trail is not logging, with the start-logging command', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findTrail(draft, 'main').status = { isLogging: false };
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.brokenLink).toBe('trail');
      expect(finding.reason).toBe("trail 'main' (us-east-1) is not logging: start it with `aws cloudtrail start-logging --name main --region us-east-1`");
      expect(finding.fix).toBe('aws cloudtrail start-logging --name main --region us-east-1');
      expect(finding.uncoveredRegions).toEqual(['us-east-1', 'eu-west-1']);
    });

    it('is ERROR, not PASS, when the trail status could not be read', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        delete findTrail(draft, 'main').status;
        draft.readErrors.push({ scope: 'trailStatus', resource: findTrail(draft, 'main').arn, code: 'AccessDenied', message: 'not authorized to perform cloudtrail:GetTrailStatus' });
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('ERROR');
      expect(finding.brokenLink).toBe('trail');
      expect(finding.reason).toMatch(/^cannot verify: trailwatch could not tell whether trail 'main' \(us-east-1\) is logging \(AccessDenied: not authorized/);
    });
  });

  describe('management events', () => {
    it('fails when basic selectors log only write events', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findTrail(draft, 'main').eventSelectors = [{ readWriteType: 'WriteOnly', includeManagementEvents: true }];
      });

      // Act
      const finding = findingFor(inventory, 'unauthorized_api_calls');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.brokenLink).toBe('trail');
      expect(finding.reason).toMatch(/^trail 'main' \(us-east-1\) does not log read-only management events \(ReadWriteType must be All\): log all management events with `aws cloudtrail put-event-selectors --trail-name main/);
    });

    it('fails when the selectors exclude management events altogether', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findTrail(draft, 'main').eventSelectors = [{ readWriteType: 'All', includeManagementEvents: false, dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }];
      });

      // Act & Assess
      expect(findingFor(inventory, 'vpc_changes').reason).toMatch(/does not log management events/);
    });

    it('passes when one selector logs read and another write events', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findTrail(draft, 'main').eventSelectors = [
          { readWriteType: 'ReadOnly', includeManagementEvents: true },
          { readWriteType: 'WriteOnly', includeManagementEvents: true },
        ];
      });

      // Act & Assess
      expect(findingFor(inventory, 'root_usage').status).toBe('PASS');
    });

    it('fails only the KMS check when kms.amazonaws.com is excluded, and warns the any-source checks', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findTrail(draft, 'main').eventSelectors = [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: ['kms.amazonaws.com'] }];
      });

      // Act
      const kms = findingFor(inventory, 'cmk_disable_or_scheduled_deletion');
      const root = findingFor(inventory, 'root_usage');
      const iam = findingFor(inventory, 'iam_policy_changes');

      // Assess
      expect(kms.status).toBe('FAIL');
      expect(kms.brokenLink).toBe('trail');
      expect(kms.reason).toMatch(/^trail 'main' \(us-east-1\) excludes management events from kms\.amazonaws\.com, where disabling or scheduled deletion of customer managed KMS keys are recorded/);
      expect(root.status).toBe('PASS');
      expect(root.warnings).toEqual([expect.stringMatching(/management events from kms\.amazonaws\.com are excluded, so usage of the root user through that service go unseen/)]);
      expect(iam.status).toBe('PASS');
      expect(iam.warnings).toBeUndefined();
    });

    it('passes with an advanced Management selector that does not restrict readOnly', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        const main = findTrail(draft, 'main');
        delete main.eventSelectors;
        main.advancedEventSelectors = [{ name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }];
      });

      // Act & Assess
      expect(findingFor(inventory, 'unauthorized_api_calls').status).toBe('PASS');
    });

    it('fails with an advanced Management selector restricted to readOnly = false', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        const main = findTrail(draft, 'main');
        delete main.eventSelectors;
        main.advancedEventSelectors = [
          {
            name: 'Write management events',
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'readOnly', equals: ['false'] },
            ],
          },
        ];
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/has advanced event selectors that do not log read-only management events/);
    });

    it('fails the KMS check when an advanced selector excludes kms.amazonaws.com, and passes the S3 one', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        const main = findTrail(draft, 'main');
        delete main.eventSelectors;
        main.advancedEventSelectors = [
          {
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'eventSource', notEquals: ['kms.amazonaws.com'] },
            ],
          },
        ];
      });

      // Act & Assess
      expect(findingFor(inventory, 'cmk_disable_or_scheduled_deletion').reason).toMatch(/do not log read-only management events from kms\.amazonaws\.com and write management events from kms\.amazonaws\.com/);
      expect(findingFor(inventory, 's3_bucket_policy_changes').status).toBe('PASS');
      expect(findingFor(inventory, 'root_usage').warnings).toEqual([expect.stringMatching(/kms\.amazonaws\.com are excluded/)]);
    });

    it('is ERROR when an advanced selector filters on a field trailwatch does not model', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        const main = findTrail(draft, 'main');
        delete main.eventSelectors;
        main.advancedEventSelectors = [
          {
            fieldSelectors: [
              { field: 'eventCategory', equals: ['Management'] },
              { field: 'userIdentity.arn', notStartsWith: ['arn:aws:sts::111111111111:assumed-role/Automation'] },
            ],
          },
        ];
      });

      // Act
      const finding = findingFor(inventory, 'vpc_changes');

      // Assess
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toMatch(/^cannot verify: trail 'main' \(us-east-1\) has advanced event selectors with fields other than/);
    });

    it('is ERROR when the event selectors could not be read', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        delete findTrail(draft, 'main').eventSelectors;
        draft.readErrors.push({ scope: 'eventSelectors', resource: findTrail(draft, 'main').arn, code: 'Throttled', message: 'Rate exceeded' });
      });

      // Act & Assess
      expect(findingFor(inventory, 'vpc_changes')).toMatchObject({ status: 'ERROR', reason: expect.stringMatching(/could not tell which events trail 'main' \(us-east-1\) logs \(Throttled: Rate exceeded\)/) });
    });
  });

  describe('regions', () => {
    it('covers every region with a multi-region trail homed in eu-west-1, global service events included', () => {
      // Prepare
      const inventories = loadFixture('multi-region-eu-west-1');

      // Act
      const iam = findingFor(inventories, 'iam_policy_changes');
      const vpc = findingFor(inventories, 'vpc_changes');

      // Assess
      expect(iam.status).toBe('PASS');
      expect(iam.coveredRegions).toEqual(['us-east-1']);
      expect(vpc.status).toBe('PASS');
      expect(vpc.coveredRegions).toEqual(['us-east-1', 'eu-west-1', 'ap-south-1']);
    });

    it('covers only its home region with a single-region trail, and names the regions it misses', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findTrail(draft, 'main').isMultiRegionTrail = false;
      });

      // Act
      const finding = findingFor(inventory, 'vpc_changes');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.brokenLink).toBe('trail');
      expect(finding.coveredRegions).toEqual(['us-east-1']);
      expect(finding.uncoveredRegions).toEqual(['eu-west-1']);
      expect(finding.reason).toBe(
        "trail 'main' (us-east-1) is single-region in us-east-1, so events of eu-west-1 never reach it: make it multi-region with `aws cloudtrail update-trail --name main --is-multi-region-trail --include-global-service-events --region us-east-1`",
      );
    });

    it('passes a global-service check with a single-region trail in us-east-1 that includes global service events', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findTrail(draft, 'main').isMultiRegionTrail = false;
      });

      // Act & Assess
      expect(findingFor(inventory, 'iam_policy_changes').status).toBe('PASS');
      expect(findingFor(inventory, 'organizations_changes').status).toBe('PASS');
    });

    it('fails a global-service check when the trail leaves out global service events', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        const main = findTrail(draft, 'main');
        main.isMultiRegionTrail = false;
        main.includeGlobalServiceEvents = false;
      });

      // Act
      const iam = findingFor(inventory, 'iam_policy_changes');
      const vpc = findingFor(inventory, 'vpc_changes');

      // Assess
      expect(iam.status).toBe('FAIL');
      expect(iam.uncoveredRegions).toEqual(['us-east-1']);
      expect(iam.reason).toBe(
        "trail 'main' (us-east-1) does not include global service events, so global service events (recorded in us-east-1) never reach it: include them with `aws cloudtrail update-trail --name main --include-global-service-events --region us-east-1`",
      );
      expect(vpc.uncoveredRegions).toEqual(['eu-west-1']);
    });

    it('fails a global-service check with a single-region trail outside us-east-1', () => {
      // Prepare
      const inventory = edit(loadFixture('multi-region-eu-west-1')[0]!, (draft) => {
        findTrail(draft, 'main').isMultiRegionTrail = false;
      });

      // Act
      const finding = findingFor(inventory, 'iam_policy_changes');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/^trail 'main' \(eu-west-1\) is single-region in eu-west-1, so global service events \(recorded in us-east-1\) never reach it: make it multi-region/);
    });

    it('needs both the regional and the global events for console sign-ins', () => {
      // Prepare: a single-region trail in eu-west-1 sees regional sign-ins there, not root or global-endpoint ones.
      const inventory = edit(loadFixture('multi-region-eu-west-1')[0]!, (draft) => {
        findTrail(draft, 'main').isMultiRegionTrail = false;
        draft.regions = ['eu-west-1'];
      });

      // Act
      const finding = findingFor(inventory, 'console_signin_without_mfa');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.coveredRegions).toEqual(['eu-west-1']);
      expect(finding.uncoveredRegions).toEqual(['us-east-1']);
    });

    it('passes when two single-region trails cover one region each', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        const main = findTrail(draft, 'main');
        main.isMultiRegionTrail = false;
        draft.trails.push({ ...structuredClone(main), arn: 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/europe', name: 'europe', homeRegion: 'eu-west-1' });
      });

      // Act
      const finding = findingFor(inventory, 'vpc_changes');

      // Assess
      expect(finding.status).toBe('PASS');
      expect(finding.coveredRegions).toEqual(['us-east-1', 'eu-west-1']);
      expect(finding.reason).toMatch(/\(2 complete chains in all\)$/);
    });

    it('fails every region when there is no trail at all', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        draft.trails = [];
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.brokenLink).toBe('trail');
      expect(finding.reason).toMatch(/^no CloudTrail trail of account 111111111111 logs global service events \(recorded in us-east-1\) and events of us-east-1 and eu-west-1: create a multi-region trail/);
      expect(finding.fix).toMatch(/^aws cloudtrail create-trail /);
    });

    it('is ERROR, not FAIL, when the trails could not be listed', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        draft.trails = [];
        draft.readErrors.push({ scope: 'trails', region: 'us-east-1', code: 'AccessDenied', message: 'User is not authorized to perform: cloudtrail:ListTrails' });
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toBe('cannot verify: trailwatch could not list the trails of account 111111111111 (AccessDenied: User is not authorized to perform: cloudtrail:ListTrails)');
    });
  });

  describe('a trail that could not be described', () => {
    const undescribed = {
      arn: 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/audit',
      name: 'audit',
      homeRegion: 'eu-west-1',
      ownerAccountId: ACCOUNT,
    };

    it('is ERROR, not FAIL, when the only trail could not be described', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        draft.trails = [structuredClone(undescribed)];
        draft.readErrors.push({ scope: 'trails', resource: undescribed.arn, region: 'eu-west-1', code: 'AccessDenied', message: 'not authorized to perform: cloudtrail:DescribeTrails' });
      });

      // Act
      const finding = findingFor(inventory, 'vpc_changes');

      // Assess
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toBe("cannot verify: trailwatch could not describe trail 'audit' (eu-west-1) (AccessDenied: not authorized to perform: cloudtrail:DescribeTrails)");
    });

    it('does not hide another trail that works', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        draft.trails.push(structuredClone(undescribed));
        draft.readErrors.push({ scope: 'trails', resource: undescribed.arn, region: 'eu-west-1', code: 'NotFound', message: 'DescribeTrails did not return this trail' });
      });

      // Act & Assess
      expect(findingFor(inventory, 'vpc_changes').status).toBe('PASS');
    });
  });

  describe('two trails', () => {
    it('passes when one of two trails is broken and the other works (regression)', () => {
      // Prepare
      const inventories = loadFixture('two-trails-one-broken');

      // Act
      const finding = findingFor(inventories, 'root_usage');

      // Assess
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.trail).toBe('arn:aws:cloudtrail:us-east-1:666666666666:trail/main');
    });

    it('names the trail that came closest when both are broken', () => {
      // Prepare: 'legacy' breaks at the trail, 'main' only at the alarm.
      const inventory = edit(loadFixture('two-trails-one-broken')[0]!, (draft) => {
        for (const alarm of draft.alarms['us-east-1'] ?? []) alarm.actionsEnabled = false;
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.brokenLink).toBe('alarm');
      expect(finding.evidence.trail).toBe('arn:aws:cloudtrail:us-east-1:666666666666:trail/main');
      expect(finding.reason).toMatch(/^alarm 'root-usage' \(us-east-1\) has actions disabled/);
    });
  });

  it('builds trails with defaults that pass', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      draft.trails = [trail({ accountId: ACCOUNT, name: 'main', homeRegion: 'us-east-1', logGroup: 'cloudtrail-logs' })];
    });

    // Act & Assess
    expect(findingFor(inventory, 'nacl_changes').status).toBe('PASS');
  });
});
