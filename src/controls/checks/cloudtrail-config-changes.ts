import type { CheckRecord } from '../types';

export const cloudtrailConfigChanges: CheckRecord = {
  slug: 'cloudtrail_config_changes',
  subject: 'CloudTrail configuration changes',
  metric: { name: 'CloudTrailConfigChanges', namespace: 'CISBenchmark' },
  eventSources: ['cloudtrail.amazonaws.com'],
  eventScope: 'regional',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.5',
      title: 'Ensure a log metric filter and alarm exist for CloudTrail configuration changes',
      level: 1,
      assessment: 'Scored',
      pattern:
        '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
    },
    'cis-aws-v1.3.0': {
      id: '4.5',
      title: 'Ensure a log metric filter and alarm exist for CloudTrail configuration changes',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging)}',
    },
    'cis-aws-v1.4.0': {
      id: '4.5',
      title: 'Ensure a log metric filter and alarm exist for CloudTrail configuration changes',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
    },
    'cis-aws-v1.5.0': {
      id: '4.5',
      title: 'Ensure a log metric filter and alarm exist for CloudTrail configuration changes',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
    },
    'cis-aws-v2.0.0': {
      id: '4.5',
      title: 'Ensure CloudTrail configuration changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
    },
    'cis-aws-v3.0.0': {
      id: '4.5',
      title: 'Ensure CloudTrail configuration changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
    },
    'cis-aws-v4.0.0': {
      id: '4.5',
      title: 'Ensure CloudTrail configuration changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
    },
    'cis-aws-v5.0.0': {
      id: '4.5',
      title: 'Ensure CloudTrail configuration changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
    },
    'cis-aws-v6.0.0': {
      id: '5.5',
      title: 'Ensure CloudTrail configuration changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
    },
    'cis-aws-v7.0.0': {
      id: '5.5',
      title: 'Ensure CloudTrail configuration changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
    },
  },
};
