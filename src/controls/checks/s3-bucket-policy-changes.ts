import type { CheckRecord } from '../types';

export const s3BucketPolicyChanges: CheckRecord = {
  slug: 's3_bucket_policy_changes',
  subject: 'S3 bucket policy changes',
  metric: { name: 'S3BucketPolicyChanges', namespace: 'CISBenchmark' },
  eventSources: ['s3.amazonaws.com'],
  eventScope: 'regional',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.8',
      title: 'Ensure a log metric filter and alarm exist for S3 bucket policy changes',
      level: 1,
      assessment: 'Scored',
      pattern:
        '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
    },
    'cis-aws-v1.3.0': {
      id: '4.8',
      title: 'Ensure a log metric filter and alarm exist for S3 bucket policy changes',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
    },
    'cis-aws-v1.4.0': {
      id: '4.8',
      title: 'Ensure a log metric filter and alarm exist for S3 bucket policy changes',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
    },
    'cis-aws-v1.5.0': {
      id: '4.8',
      title: 'Ensure a log metric filter and alarm exist for S3 bucket policy changes',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
    },
    'cis-aws-v2.0.0': {
      id: '4.8',
      title: 'Ensure S3 bucket policy changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
    },
    'cis-aws-v3.0.0': {
      id: '4.8',
      title: 'Ensure S3 bucket policy changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
    },
    'cis-aws-v4.0.0': {
      id: '4.8',
      title: 'Ensure S3 bucket policy changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
    },
    'cis-aws-v5.0.0': {
      id: '4.8',
      title: 'Ensure S3 bucket policy changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
    },
    'cis-aws-v6.0.0': {
      id: '5.8',
      title: 'Ensure S3 bucket policy changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
    },
    'cis-aws-v7.0.0': {
      id: '5.8',
      title: 'Ensure S3 bucket policy changes are monitored',
      level: 1,
      assessment: 'Manual',
      pattern:
        '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
    },
  },
};
