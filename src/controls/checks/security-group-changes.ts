import type { CheckRecord } from '../types';

export const securityGroupChanges: CheckRecord = {
  slug: 'security_group_changes',
  subject: 'security group changes',
  metric: { name: 'SecurityGroupChanges', namespace: 'CISBenchmark' },
  eventSources: ['ec2.amazonaws.com'],
  eventScope: 'regional',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.10',
      title: 'Ensure a log metric filter and alarm exist for security group changes',
      level: 2,
      assessment: 'Scored',
      pattern:
        '{($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
    },
    'cis-aws-v1.3.0': {
      id: '4.10',
      title: 'Ensure a log metric filter and alarm exist for security group changes',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName =AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
    },
    'cis-aws-v1.4.0': {
      id: '4.10',
      title: 'Ensure a log metric filter and alarm exist for security group changes',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
    },
    'cis-aws-v1.5.0': {
      id: '4.10',
      title: 'Ensure a log metric filter and alarm exist for security group changes',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
    },
    'cis-aws-v2.0.0': {
      id: '4.10',
      title: 'Ensure security group changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
    },
    'cis-aws-v3.0.0': {
      id: '4.10',
      title: 'Ensure security group changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
    },
    'cis-aws-v4.0.0': {
      id: '4.10',
      title: 'Ensure security group changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
    },
    'cis-aws-v5.0.0': {
      id: '4.10',
      title: 'Ensure security group changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }',
      notes: [
        'From v5.0.0 the pattern includes ModifySecurityGroupRules.',
      ],
    },
    'cis-aws-v6.0.0': {
      id: '5.10',
      title: 'Ensure security group changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }',
    },
    'cis-aws-v7.0.0': {
      id: '5.10',
      title: 'Ensure security group changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }',
    },
  },
};
