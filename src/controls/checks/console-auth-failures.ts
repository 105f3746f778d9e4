import type { CheckRecord } from '../types';

export const consoleAuthFailures: CheckRecord = {
  slug: 'console_auth_failures',
  subject: 'console authentication failures',
  metric: { name: 'ConsoleAuthenticationFailures', namespace: 'CISBenchmark' },
  eventSources: ['signin.amazonaws.com'],
  // Sign-in events: see console_signin_without_mfa.
  eventScope: 'regional-and-global',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.6',
      title: 'Ensure a log metric filter and alarm exist for AWS Management Console authentication failures',
      level: 2,
      assessment: 'Scored',
      pattern:
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
    'cis-aws-v1.3.0': {
      id: '4.6',
      title: 'Ensure a log metric filter and alarm exist for AWS Management Console authentication failures',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
    'cis-aws-v1.4.0': {
      id: '4.6',
      title: 'Ensure a log metric filter and alarm exist for AWS Management Console authentication failures',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
    'cis-aws-v1.5.0': {
      id: '4.6',
      title: 'Ensure a log metric filter and alarm exist for AWS Management Console authentication failures',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
    'cis-aws-v2.0.0': {
      id: '4.6',
      title: 'Ensure AWS Management Console authentication failures are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
    'cis-aws-v3.0.0': {
      id: '4.6',
      title: 'Ensure AWS Management Console authentication failures are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
    'cis-aws-v4.0.0': {
      id: '4.6',
      title: 'Ensure AWS Management Console authentication failures are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
    'cis-aws-v5.0.0': {
      id: '4.6',
      title: 'Ensure AWS Management Console authentication failures are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
    'cis-aws-v6.0.0': {
      id: '5.6',
      title: 'Ensure AWS Management Console authentication failures are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
    'cis-aws-v7.0.0': {
      id: '5.6',
      title: 'Ensure AWS Management Console authentication failures are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    },
  },
};
