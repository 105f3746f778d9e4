import type { CheckRecord } from '../types';

export const routeTableChanges: CheckRecord = {
  slug: 'route_table_changes',
  subject: 'route table changes',
  metric: { name: 'RouteTableChanges', namespace: 'CISBenchmark' },
  eventSources: ['ec2.amazonaws.com'],
  eventScope: 'regional',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.13',
      title: 'Ensure a log metric filter and alarm exist for route table changes',
      level: 1,
      assessment: 'Scored',
      pattern:
        '{($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
    },
    'cis-aws-v1.3.0': {
      id: '4.13',
      title: 'Ensure a log metric filter and alarm exist for route table changes',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
    },
    'cis-aws-v1.4.0': {
      id: '4.13',
      title: 'Ensure a log metric filter and alarm exist for route table changes',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
    },
    'cis-aws-v1.5.0': {
      id: '4.13',
      title: 'Ensure a log metric filter and alarm exist for route table changes',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
    },
    'cis-aws-v2.0.0': {
      id: '4.13',
      title: 'Ensure route table changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
    },
    'cis-aws-v3.0.0': {
      id: '4.13',
      title: 'Ensure route table changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
      notes: [
        'The benchmark\'s audit step adds `$.eventSource = ec2.amazonaws.com` without parentheses, so it only constrains CreateRoute; trailwatch uses the remediation pattern.',
      ],
    },
    'cis-aws-v4.0.0': {
      id: '4.13',
      title: 'Ensure route table changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
      notes: [
        'The benchmark\'s audit step adds `$.eventSource = ec2.amazonaws.com` without parentheses, so it only constrains CreateRoute; trailwatch uses the remediation pattern.',
      ],
    },
    'cis-aws-v5.0.0': {
      id: '4.13',
      title: 'Ensure route table changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
      notes: [
        'The benchmark\'s audit step adds `$.eventSource = ec2.amazonaws.com` without parentheses, so it only constrains CreateRoute; trailwatch uses the remediation pattern.',
      ],
    },
    'cis-aws-v6.0.0': {
      id: '5.13',
      title: 'Ensure route table changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
      notes: [
        'The benchmark\'s audit step adds `$.eventSource = ec2.amazonaws.com` without parentheses, so it only constrains CreateRoute; trailwatch uses the remediation pattern.',
      ],
    },
    'cis-aws-v7.0.0': {
      id: '5.13',
      title: 'Ensure route table changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
      notes: [
        'The benchmark\'s audit step adds `$.eventSource = ec2.amazonaws.com` without parentheses, so it only constrains CreateRoute; trailwatch uses the remediation pattern.',
      ],
    },
  },
};
