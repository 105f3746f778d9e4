import type { CheckRecord } from '../types';

export const naclChanges: CheckRecord = {
  slug: 'nacl_changes',
  subject: 'network ACL changes',
  metric: { name: 'NACLChanges', namespace: 'CISBenchmark' },
  eventSources: ['ec2.amazonaws.com'],
  eventScope: 'regional',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.11',
      title: 'Ensure a log metric filter and alarm exist for changes to Network Access Control Lists (NACL)',
      level: 2,
      assessment: 'Scored',
      pattern:
        '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
    },
    'cis-aws-v1.3.0': {
      id: '4.11',
      title: 'Ensure a log metric filter and alarm exist for changes to Network Access Control Lists (NACL)',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) ||($.eventName = ReplaceNetworkAclAssociation) }',
    },
    'cis-aws-v1.4.0': {
      id: '4.11',
      title: 'Ensure a log metric filter and alarm exist for changes to Network Access Control Lists (NACL)',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
    },
    'cis-aws-v1.5.0': {
      id: '4.11',
      title: 'Ensure a log metric filter and alarm exist for changes to Network Access Control Lists (NACL)',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
    },
    'cis-aws-v2.0.0': {
      id: '4.11',
      title: 'Ensure Network Access Control Lists (NACL) changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
    },
    'cis-aws-v3.0.0': {
      id: '4.11',
      title: 'Ensure Network Access Control Lists (NACL) changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
    },
    'cis-aws-v4.0.0': {
      id: '4.11',
      title: 'Ensure Network Access Control List (NACL) changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
    },
    'cis-aws-v5.0.0': {
      id: '4.11',
      title: 'Ensure Network Access Control List (NACL) changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
    },
    'cis-aws-v6.0.0': {
      id: '5.11',
      title: 'Ensure Network Access Control List (NACL) changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
    },
    'cis-aws-v7.0.0': {
      id: '5.11',
      title: 'Ensure Network Access Control List (NACL) changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
    },
  },
};
