import { ConfigurationError } from '../../src/config';

/** Loads handlers/scan.ts afresh (a cold start) with `env` as the whole environment trailwatch reads. */
async function coldStart(env: Record<string, string>): Promise<unknown> {
  const saved = { ...process.env };
  for (const name of ['FINDINGS_TOPIC_ARN', 'MEMBER_ROLE_NAME', 'NOTIFY', 'NOTIFICATION_LEVEL', 'REPORT_BUCKET', 'AWS_REGION', 'HOME_REGION']) delete process.env[name];
  Object.assign(process.env, env);
  try {
    let loaded: unknown;
    await jest.isolateModulesAsync(async () => {
      loaded = await import('../../handlers/scan');
    });
    return loaded;
  } finally {
    process.env = saved;
  }
}

describe('handlers/scan cold start', () => {
  beforeEach(() => {
    // The cold-start failure is logged as JSON on stderr; keep the test output clean.
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());

  it('fails before any event when the environment is wrong, naming every wrong variable', async () => {
    // Act
    const error = await coldStart({ NOTIFY: 'sometimes', AWS_REGION: 'us-east-1' }).catch((e: unknown) => e);
    // Assess: the module is loaded afresh, so its ConfigurationError is another copy of the class
    expect(error).toMatchObject({ name: ConfigurationError.name });
    expect((error as Error).message).toMatch(
      /^invalid environment: FINDINGS_TOPIC_ARN: required.*; NOTIFY: 'sometimes' is not one of always, on-fail, on-change; MEMBER_ROLE_NAME: required/,
    );
  });

  it('exports the handler when the environment is right', async () => {
    const loaded = (await coldStart({
      FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:findings',
      MEMBER_ROLE_NAME: 'trailwatch-member-read',
      AWS_REGION: 'us-east-1',
    })) as { handler: unknown };

    expect(typeof loaded.handler).toBe('function');
  });
});
