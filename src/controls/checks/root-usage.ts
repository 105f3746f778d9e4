import type { CheckRecord } from '../types';

export const rootUsage: CheckRecord = {
  slug: 'root_usage',
  subject: 'usage of the root user',
  metric: { name: 'RootUsage', namespace: 'CISBenchmark' },
  eventSources: 'any',
  // Root sign-ins are recorded in us-east-1, root API calls in the region of the call.
  eventScope: 'regional-and-global',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.3',
      title: 'Ensure a log metric filter and alarm exist for usage of "root" account',
      level: 1,
      assessment: 'Scored',
      pattern:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    },
    'cis-aws-v1.3.0': {
      id: '4.3',
      title: 'Ensure a log metric filter and alarm exist for usage of "root" account',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      notes: [
        'The benchmark\'s audit step prints `invokedByNOT EXISTS` (missing space); trailwatch uses the remediation pattern.',
      ],
    },
    'cis-aws-v1.4.0': {
      id: '4.3',
      title: 'Ensure a log metric filter and alarm exist for usage of \'root\' account',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      notes: [
        'The benchmark\'s audit step prints `invokedByNOT EXISTS` (missing space); trailwatch uses the remediation pattern.',
      ],
    },
    'cis-aws-v1.5.0': {
      id: '4.3',
      title: 'Ensure a log metric filter and alarm exist for usage of \'root\' account',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      notes: [
        'The benchmark\'s audit step prints `invokedByNOT EXISTS` (missing space); trailwatch uses the remediation pattern.',
      ],
    },
    'cis-aws-v2.0.0': {
      id: '4.3',
      title: 'Ensure usage of \'root\' account is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    },
    'cis-aws-v3.0.0': {
      id: '4.3',
      title: 'Ensure usage of \'root\' account is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    },
    'cis-aws-v4.0.0': {
      id: '4.3',
      title: 'Ensure usage of the \'root\' account is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    },
    'cis-aws-v5.0.0': {
      id: '4.3',
      title: 'Ensure usage of the \'root\' account is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    },
    'cis-aws-v6.0.0': {
      id: '5.3',
      title: 'Ensure usage of the \'root\' account is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent"}',
    },
    'cis-aws-v7.0.0': {
      id: '5.3',
      title: 'Ensure usage of the \'root\' account is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    },
  },
};
