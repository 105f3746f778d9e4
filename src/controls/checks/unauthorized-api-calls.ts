import type { CheckRecord } from '../types';

export const unauthorizedApiCalls: CheckRecord = {
  slug: 'unauthorized_api_calls',
  subject: 'unauthorized API calls',
  metric: { name: 'UnauthorizedAPICalls', namespace: 'CISBenchmark' },
  eventSources: 'any',
  // Events of every service, recorded in the region of the call (global services in us-east-1).
  eventScope: 'regional-and-global',
  controls: {
    'cis-aws-v1.2.0': {
      id: '3.1',
      title: 'Ensure a log metric filter and alarm exist for unauthorized API calls',
      level: 1,
      assessment: 'Scored',
      pattern:
        '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    },
    'cis-aws-v1.3.0': {
      id: '4.1',
      title: 'Ensure a log metric filter and alarm exist for unauthorized API calls',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
      alternatives: [
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
      ],
      printedPattern:
        '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }',
      notes: [
        'The benchmark ORs the exclusion clauses (`|| $.sourceIPAddress != ...`), so its pattern matches nearly every event; trailwatch checks against the intended pattern of v2.0.0 instead.',
        'Read with && before ||, the benchmark\'s pattern is `A || (B && C && D)`: the delivery.logs and HeadBucket exclusions only apply to AccessDenied*; trailwatch also accepts the evidently intended `(A || B) && C && D`.',
      ],
    },
    'cis-aws-v1.4.0': {
      id: '4.1',
      title: 'Ensure a log metric filter and alarm exist for unauthorized API calls',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
      alternatives: [
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
      ],
      printedPattern:
        '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }',
      notes: [
        'The benchmark ORs the exclusion clauses (`|| $.sourceIPAddress != ...`), so its pattern matches nearly every event; trailwatch checks against the intended pattern of v2.0.0 instead.',
        'Read with && before ||, the benchmark\'s pattern is `A || (B && C && D)`: the delivery.logs and HeadBucket exclusions only apply to AccessDenied*; trailwatch also accepts the evidently intended `(A || B) && C && D`.',
      ],
    },
    'cis-aws-v1.5.0': {
      id: '4.1',
      title: 'Ensure a log metric filter and alarm exist for unauthorized API calls',
      level: 1,
      assessment: 'Automated',
      pattern:
        '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
      alternatives: [
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
      ],
      printedPattern:
        '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }',
      notes: [
        'The benchmark ORs the exclusion clauses (`|| $.sourceIPAddress != ...`), so its pattern matches nearly every event; trailwatch checks against the intended pattern of v2.0.0 instead.',
        'Read with && before ||, the benchmark\'s pattern is `A || (B && C && D)`: the delivery.logs and HeadBucket exclusions only apply to AccessDenied*; trailwatch also accepts the evidently intended `(A || B) && C && D`.',
      ],
    },
    'cis-aws-v2.0.0': {
      id: '4.1',
      title: 'Ensure unauthorized API calls are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
      alternatives: [
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
      ],
      notes: [
        'Read with && before ||, the benchmark\'s pattern is `A || (B && C && D)`: the delivery.logs and HeadBucket exclusions only apply to AccessDenied*; trailwatch also accepts the evidently intended `(A || B) && C && D`.',
      ],
    },
    'cis-aws-v3.0.0': {
      id: '4.1',
      title: 'Ensure unauthorized API calls are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
      alternatives: [
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
      ],
      notes: [
        'Read with && before ||, the benchmark\'s pattern is `A || (B && C && D)`: the delivery.logs and HeadBucket exclusions only apply to AccessDenied*; trailwatch also accepts the evidently intended `(A || B) && C && D`.',
      ],
    },
    'cis-aws-v4.0.0': {
      id: '4.1',
      title: 'Ensure unauthorized API calls are monitored',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
      alternatives: [
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
      ],
      notes: [
        'Read with && before ||, the benchmark\'s pattern is `A || (B && C && D)`: the delivery.logs and HeadBucket exclusions only apply to AccessDenied*; trailwatch also accepts the evidently intended `(A || B) && C && D`.',
      ],
    },
    'cis-aws-v5.0.0': {
      id: '4.1',
      title: 'Ensure unauthorized API calls are monitored',
      level: 2,
      assessment: 'Automated',
      pattern:
        '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
      alternatives: [
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
      ],
      notes: [
        'Read with && before ||, the benchmark\'s pattern is `A || (B && C && D)`: the delivery.logs and HeadBucket exclusions only apply to AccessDenied*; trailwatch also accepts the evidently intended `(A || B) && C && D`.',
      ],
    },
    'cis-aws-v6.0.0': {
      id: '5.1',
      title: 'Ensure unauthorized API calls are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.errorCode="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
      alternatives: [
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
      ],
      notes: [
        'Read with && before ||, the benchmark\'s pattern is `A || (B && C && D)`: the delivery.logs and HeadBucket exclusions only apply to AccessDenied*; trailwatch also accepts the evidently intended `(A || B) && C && D`.',
      ],
    },
    'cis-aws-v7.0.0': {
      id: '5.1',
      title: 'Ensure unauthorized API calls are monitored',
      level: 2,
      assessment: 'Manual',
      pattern:
        '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
      alternatives: [
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
      ],
      notes: [
        'Read with && before ||, the benchmark\'s pattern is `A || (B && C && D)`: the delivery.logs and HeadBucket exclusions only apply to AccessDenied*; trailwatch also accepts the evidently intended `(A || B) && C && D`.',
      ],
    },
  },
};
