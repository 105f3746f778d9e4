import type { CheckRecord } from '../types';

export const awsConfigChanges: CheckRecord = {
  slug: 'aws_config_changes',
  subject: 'AWS Config configuration changes',
  metric: { name: 'AWSConfigChanges', namespace: 'CISBenchmark' },
  eventSources: ['config.amazonaws.com'],
  eventScope: 'regional',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.9',
      title: 'Ensure a log metric filter and alarm exist for AWS Config configuration changes',
      level: 2,
      assessment: 'Scored',
      pattern:
        '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel) ||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
    },
    'cis-aws-v1.3.0': {
      id: '4.9',
      title: 'Ensure a log metric filter and alarm exist for AWS Config configuration changes',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder))}',
    },
    'cis-aws-v1.4.0': {
      id: '4.9',
      title: 'Ensure a log metric filter and alarm exist for AWS Config configuration changes',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
    },
    'cis-aws-v1.5.0': {
      id: '4.9',
      title: 'Ensure a log metric filter and alarm exist for AWS Config configuration changes',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
    },
    'cis-aws-v2.0.0': {
      id: '4.9',
      title: 'Ensure AWS Config configuration changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel) ||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
    },
    'cis-aws-v3.0.0': {
      id: '4.9',
      title: 'Ensure AWS Config configuration changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel) ||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
    },
    'cis-aws-v4.0.0': {
      id: '4.9',
      title: 'Ensure AWS Config configuration changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
    },
    'cis-aws-v5.0.0': {
      id: '4.9',
      title: 'Ensure AWS Config configuration changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
    },
    'cis-aws-v6.0.0': {
      id: '5.9',
      title: 'Ensure AWS Config configuration changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
    },
    'cis-aws-v7.0.0': {
      id: '5.9',
      title: 'Ensure AWS Config configuration changes are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
    },
  },
};
