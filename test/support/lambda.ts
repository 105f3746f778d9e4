/** The scan Lambda as Lambda runs it, for end-to-end tests: a scheduled event, a context, a cold start. */
import type { ScanSummary } from '../../src/lambda';

export const scheduledEvent = {
  version: '0',
  id: 'cdc73f9d-aea9-11e3-9d5a-835b769c0d9c',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2025-11-20T06:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/trailwatch-prod-scan'],
  detail: {},
};

export const lambdaContext = { getRemainingTimeInMillis: () => 900_000, awsRequestId: 'e2e-request' };

export type Handler = (event: unknown, context: typeof lambdaContext) => Promise<ScanSummary>;

/** The handler as Lambda loads it: a fresh module reading `env` at cold start. */
export async function coldStart(env: Record<string, string>): Promise<Handler> {
  Object.assign(process.env, env);
  let handler: Handler | undefined;
  await jest.isolateModulesAsync(async () => {
    handler = ((await import('../../handlers/scan')) as { handler: Handler }).handler;
  });
  return handler as Handler;
}
