/**
 * The heartbeat alarm's window, derived from the schedule when the template is packaged
 * (deploy/heartbeat.cjs, which serverless.yml reads). Cron schedules are followed from a fixed
 * date so the answers do not depend on the day the test runs.
 */
interface HeartbeatModule {
  longestGapSeconds(expression: string, from?: Date): number;
  heartbeatWindow(input: { schedule: string; scheduleEnabled?: unknown; heartbeatHours?: unknown; from?: Date }): { hours: number; longestGapSeconds: number };
  hours(serverless: { resolveVariable(address: string): Promise<unknown> }): Promise<number>;
}

const heartbeat = jest.requireActual<HeartbeatModule>('../../deploy/heartbeat.cjs');
const FROM = new Date('2030-01-01T00:00:00Z');
const HOUR = 3600;

describe('longestGapSeconds', () => {
  it.each([
    ['rate(1 day)', 24 * HOUR],
    ['rate(2 days)', 48 * HOUR],
    ['rate(6 hours)', 6 * HOUR],
    ['rate(1 hour)', HOUR],
    ['rate(5 minutes)', 300],
    ['cron(0 6 * * ? *)', 24 * HOUR],
    ['cron(0 6 ? * MON-FRI *)', 72 * HOUR], // Friday 06:00 to Monday 06:00
    ['cron(0/30 * * * ? *)', 1800],
    ['cron(0 6,18 ? * * *)', 12 * HOUR],
    ['cron(0 12 ? * 6L *)', 35 * 24 * HOUR], // the last Friday of each month: five weeks at most
  ])('%s leaves at most %i seconds between runs', (schedule, seconds) => {
    expect(heartbeat.longestGapSeconds(schedule, FROM)).toBe(seconds);
  });

  it.each([
    ['every day', /neither rate\(\.\.\.\) nor cron\(\.\.\.\)/],
    ['rate(0 days)', /positive number of minutes, hours or days/],
    ['rate(1 fortnight)', /positive number of minutes, hours or days/],
    ['cron(nonsense)', /not a cron expression EventBridge accepts/],
    ['cron(0 6 1 1 ? 2020)', /does not run twice in the next two years/],
  ])('refuses %s, saying why', (schedule, message) => {
    expect(() => heartbeat.longestGapSeconds(schedule, FROM)).toThrow(message);
  });
});

describe('heartbeatWindow', () => {
  it.each([
    ['rate(1 day)', 25],
    ['rate(5 minutes)', 2],
    ['cron(0 6 ? * MON-FRI *)', 73],
    ['rate(7 days)', 168],
  ])('gives %s a window of %i one-hour periods: the longest gap plus an hour, at most 168', (schedule, hours) => {
    expect(heartbeat.heartbeatWindow({ schedule, from: FROM }).hours).toBe(hours);
  });

  it('refuses a schedule sparser than weekly, naming the way out', () => {
    expect(() => heartbeat.heartbeatWindow({ schedule: 'cron(0 0 1 * ? *)', from: FROM })).toThrow(
      /leaves up to 744 hours between scans; a CloudWatch alarm looks back at most 168 hours.*heartbeatHours=off/,
    );
  });

  it('takes heartbeatHours over the derived window, and off (or a disabled schedule) means no heartbeat alarm', () => {
    expect(heartbeat.heartbeatWindow({ schedule: 'rate(1 day)', heartbeatHours: '30', from: FROM }).hours).toBe(30);
    expect(heartbeat.heartbeatWindow({ schedule: 'cron(0 0 1 * ? *)', heartbeatHours: 'off', from: FROM }).hours).toBe(0);
    expect(heartbeat.heartbeatWindow({ schedule: 'rate(1 day)', scheduleEnabled: false, from: FROM }).hours).toBe(0);
    expect(heartbeat.heartbeatWindow({ schedule: 'rate(1 day)', scheduleEnabled: 'false', from: FROM }).hours).toBe(0);
    for (const wrong of ['0', '169', '1.5', 'soon']) {
      expect(() => heartbeat.heartbeatWindow({ schedule: 'rate(1 day)', heartbeatHours: wrong, from: FROM })).toThrow(/whole number of hours from 1 to 168, or off/);
    }
  });

  it("reads the deployment's parameters the way serverless.yml's file variable hands them over", async () => {
    // Prepare
    const params: Record<string, unknown> = { 'param:scheduleRate': 'rate(12 hours)', 'param:scheduleEnabled': true, 'param:heartbeatHours': '' };
    const resolveVariable = async (address: string): Promise<unknown> => params[address];
    // Act & Assess
    await expect(heartbeat.hours({ resolveVariable })).resolves.toBe(13);
  });
});
