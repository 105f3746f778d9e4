import type { CheckRecord } from '../types';

export const networkGatewayChanges: CheckRecord = {
  slug: 'network_gateway_changes',
  subject: 'network gateway changes',
  metric: { name: 'NetworkGatewayChanges', namespace: 'CISBenchmark' },
  eventSources: ['ec2.amazonaws.com'],
  eventScope: 'regional',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.12',
      title: 'Ensure a log metric filter and alarm exist for changes to network gateways',
      level: 1,
      assessment: 'Scored',
      pattern:
        '{($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
    },
    'cis-aws-v1.3.0': {
      id: '4.12',
      title: 'Ensure a log metric filter and alarm exist for changes to network gateways',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
    },
    'cis-aws-v1.4.0': {
      id: '4.12',
      title: 'Ensure a log metric filter and alarm exist for changes to network gateways',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
    },
    'cis-aws-v1.5.0': {
      id: '4.12',
      title: 'Ensure a log metric filter and alarm exist for changes to network gateways',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
    },
    'cis-aws-v2.0.0': {
      id: '4.12',
      title: 'Ensure changes to network gateways are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
    },
    'cis-aws-v3.0.0': {
      id: '4.12',
      title: 'Ensure changes to network gateways are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
    },
    'cis-aws-v4.0.0': {
      id: '4.12',
      title: 'Ensure changes to network gateways are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
    },
    'cis-aws-v5.0.0': {
      id: '4.12',
      title: 'Ensure changes to network gateways are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
    },
    'cis-aws-v6.0.0': {
      id: '5.12',
      title: 'Ensure changes to network gateways are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
    },
    'cis-aws-v7.0.0': {
      id: '5.12',
      title: 'Ensure changes to network gateways are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
    },
  },
};
