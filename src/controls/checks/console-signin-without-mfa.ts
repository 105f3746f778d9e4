import type { CheckRecord } from '../types';

export const consoleSigninWithoutMfa: CheckRecord = {
  slug: 'console_signin_without_mfa',
  subject: 'console sign-ins without MFA',
  metric: { name: 'ConsoleSignInWithoutMFA', namespace: 'CISBenchmark' },
  eventSources: ['signin.amazonaws.com'],
  // Root and global-endpoint sign-ins are recorded in us-east-1; IAM-user sign-ins through a regional endpoint (or redirected to us-east-2, eu-north-1, ap-southeast-2) in that region (CloudTrail user guide, "AWS Management Console sign-in events").
  eventScope: 'regional-and-global',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.2',
      title: 'Ensure a log metric filter and alarm exist for Management Console sign-in without MFA',
      level: 1,
      assessment: 'Scored',
      pattern:
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    },
    'cis-aws-v1.3.0': {
      id: '4.2',
      title: 'Ensure a log metric filter and alarm exist for Management Console sign-in without MFA',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    },
    'cis-aws-v1.4.0': {
      id: '4.2',
      title: 'Ensure a log metric filter and alarm exist for Management Console sign-in without MFA',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
      alternatives: [
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      ],
      notes: [
        'The benchmark also offers a variant limited to successful IAM-user sign-ins (fewer false positives with SSO); a filter passes when it covers either.',
      ],
    },
    'cis-aws-v1.5.0': {
      id: '4.2',
      title: 'Ensure a log metric filter and alarm exist for Management Console sign-in without MFA',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
      alternatives: [
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      ],
      notes: [
        'The benchmark also offers a variant limited to successful IAM-user sign-ins (fewer false positives with SSO); a filter passes when it covers either.',
      ],
    },
    'cis-aws-v2.0.0': {
      id: '4.2',
      title: 'Ensure management console sign-in without MFA is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
      alternatives: [
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      ],
      notes: [
        'The benchmark also offers a variant limited to successful IAM-user sign-ins (fewer false positives with SSO); a filter passes when it covers either.',
      ],
    },
    'cis-aws-v3.0.0': {
      id: '4.2',
      title: 'Ensure management console sign-in without MFA is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
      alternatives: [
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      ],
      notes: [
        'The benchmark also offers a variant limited to successful IAM-user sign-ins (fewer false positives with SSO); a filter passes when it covers either.',
      ],
    },
    'cis-aws-v4.0.0': {
      id: '4.2',
      title: 'Ensure management console sign-in without MFA is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
      alternatives: [
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      ],
      notes: [
        'The benchmark also offers a variant limited to successful IAM-user sign-ins (fewer false positives with SSO); a filter passes when it covers either.',
      ],
    },
    'cis-aws-v5.0.0': {
      id: '4.2',
      title: 'Ensure management console sign-in without MFA is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
      alternatives: [
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      ],
      notes: [
        'The benchmark also offers a variant limited to successful IAM-user sign-ins (fewer false positives with SSO); a filter passes when it covers either.',
      ],
    },
    'cis-aws-v6.0.0': {
      id: '5.2',
      title: 'Ensure management console sign-in without MFA is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed !="Yes") }',
      alternatives: [
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      ],
      notes: [
        'The benchmark also offers a variant limited to successful IAM-user sign-ins (fewer false positives with SSO); a filter passes when it covers either.',
      ],
    },
    'cis-aws-v7.0.0': {
      id: '5.2',
      title: 'Ensure management console sign-in without MFA is monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
      alternatives: [
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      ],
      notes: [
        'The benchmark also offers a variant limited to successful IAM-user sign-ins (fewer false positives with SSO); a filter passes when it covers either.',
      ],
    },
  },
};
