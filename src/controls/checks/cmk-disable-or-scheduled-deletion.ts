import type { CheckRecord } from '../types';

export const cmkDisableOrScheduledDeletion: CheckRecord = {
  slug: 'cmk_disable_or_scheduled_deletion',
  subject: 'disabling or scheduled deletion of customer managed KMS keys',
  metric: { name: 'DisableOrDeleteCMK', namespace: 'CISBenchmark' },
  eventSources: ['kms.amazonaws.com'],
  eventScope: 'regional',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.7',
      title: 'Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer created CMKs',
      level: 2,
      assessment: 'Scored',
      pattern:
        '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
    },
    'cis-aws-v1.3.0': {
      id: '4.7',
      title: 'Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer created CMKs',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
    },
    'cis-aws-v1.4.0': {
      id: '4.7',
      title: 'Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer created CMKs',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
    },
    'cis-aws-v1.5.0': {
      id: '4.7',
      title: 'Ensure a log metric filter and alarm exist for disabling or scheduled deletion of customer created CMKs',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
    },
    'cis-aws-v2.0.0': {
      id: '4.7',
      title: 'Ensure disabling or scheduled deletion of customer created CMKs is monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
    },
    'cis-aws-v3.0.0': {
      id: '4.7',
      title: 'Ensure disabling or scheduled deletion of customer created CMKs is monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
    },
    'cis-aws-v4.0.0': {
      id: '4.7',
      title: 'Ensure disabling or scheduled deletion of customer created CMKs is monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
    },
    'cis-aws-v5.0.0': {
      id: '4.7',
      title: 'Ensure disabling or scheduled deletion of customer created CMKs is monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
    },
    'cis-aws-v6.0.0': {
      id: '5.7',
      title: 'Ensure disabling or scheduled deletion of customer created CMKs is monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
    },
    'cis-aws-v7.0.0': {
      id: '5.7',
      title: 'Ensure disabling or scheduled deletion of customer created CMKs is monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
    },
  },
};
