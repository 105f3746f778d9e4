// @ts-check
/**
 * The heartbeat alarm's window, derived from the schedule when the template is packaged
 * (serverless.yml reads it with `${file(./deploy/heartbeat.cjs):...}`).
 *
 * The function publishes `trailwatch` / `ScheduledScanCompleted` each time a scheduled scan
 * completes. The alarm counts it in one-hour periods and goes off when a whole window of them
 * holds none, missing data counting as breaching. The window is the longest time between two
 * scheduled runs plus one hour of margin (a run may take 15 minutes and be retried twice, and
 * metrics arrive a few minutes late), rounded up to whole hours:
 *
 * - `rate(N minutes|hours|days)`: N of that unit;
 * - `cron(...)`: the longest gap between consecutive runs over the next two years (at most
 *   100,000 runs), computed with aws-cron-parser, which reads EventBridge's cron syntax
 *   (UTC, `?`, `L`, `W`, `#`, years).
 *
 * A CloudWatch alarm looks back at most 7 days (168 one-hour periods): a weekly schedule gets
 * exactly that (less than an hour of margin), and a schedule sparser than weekly cannot be
 * watched: packaging stops and says so. The parameter `heartbeatHours`
 * overrides the derived window (1 to 168), or turns the alarm off (`off`); a disabled schedule
 * (`scheduleEnabled: false`) has no heartbeat alarm either.
 */
const awsCronParser = require('aws-cron-parser');

const HOUR_S = 3600;
const MARGIN_S = HOUR_S;
const MAX_HOURS = 168;
const CRON_HORIZON_MS = 2 * 366 * 24 * HOUR_S * 1000;
const CRON_MAX_RUNS = 100_000;

const UNIT_S = { minute: 60, minutes: 60, hour: HOUR_S, hours: HOUR_S, day: 24 * HOUR_S, days: 24 * HOUR_S };

/**
 * The longest time, in seconds, between two runs of an EventBridge schedule expression.
 * @param {string} expression e.g. `rate(1 day)` or `cron(0 6 ? * MON-FRI *)`
 * @param {Date} [from] where a cron schedule is followed from (now by default)
 * @returns {number}
 */
function longestGapSeconds(expression, from = new Date()) {
  const text = String(expression).trim();
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/i.exec(text);
  if (rate) {
    const [, count, unit] = rate;
    const seconds = UNIT_S[/** @type {keyof typeof UNIT_S} */ (String(unit).toLowerCase())];
    if (seconds === undefined || Number(count) < 1) throw new Error(`scheduleRate '${text}': a rate needs a positive number of minutes, hours or days`);
    return Number(count) * seconds;
  }
  const cron = /^cron\((.+)\)$/i.exec(text);
  if (!cron) throw new Error(`scheduleRate '${text}' is neither rate(...) nor cron(...)`);
  let parsed;
  try {
    parsed = awsCronParser.parse(String(cron[1]).trim());
  } catch (error) {
    throw new Error(`scheduleRate '${text}' is not a cron expression EventBridge accepts: ${error instanceof Error ? error.message : error}`);
  }
  const end = from.getTime() + CRON_HORIZON_MS;
  let previous = awsCronParser.next(parsed, from);
  let longest = 0;
  for (let runs = 0; previous && previous.getTime() <= end && runs < CRON_MAX_RUNS; runs += 1) {
    const next = awsCronParser.next(parsed, new Date(previous.getTime() + 1000));
    if (!next) break;
    longest = Math.max(longest, (next.getTime() - previous.getTime()) / 1000);
    previous = next;
  }
  if (longest === 0) throw new Error(`scheduleRate '${text}' does not run twice in the next two years: nothing to watch a heartbeat of`);
  return longest;
}

/**
 * The heartbeat alarm's window for a schedule, in one-hour periods (0: no heartbeat alarm).
 * @param {{ schedule: string, scheduleEnabled?: unknown, heartbeatHours?: unknown, from?: Date }} input
 * @returns {{ hours: number, longestGapSeconds: number }} hours 0: no heartbeat alarm
 */
function heartbeatWindow({ schedule, scheduleEnabled = true, heartbeatHours = '', from }) {
  const off = { hours: 0, longestGapSeconds: 0 };
  if (String(scheduleEnabled) === 'false') return off;
  const override = String(heartbeatHours ?? '').trim();
  if (override === 'off') return off;
  const gap = longestGapSeconds(schedule, from);
  let hours;
  if (override !== '') {
    hours = Number(override);
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_HOURS) {
      throw new Error(`heartbeatHours '${override}' must be a whole number of hours from 1 to ${MAX_HOURS}, or off`);
    }
  } else {
    // A weekly schedule gets the longest window an alarm allows, with less than the full margin.
    hours = Math.min(MAX_HOURS, Math.ceil((gap + MARGIN_S) / HOUR_S));
    if (gap > MAX_HOURS * HOUR_S) {
      throw new Error(
        `scheduleRate '${schedule}' leaves up to ${Math.round(gap / HOUR_S)} hours between scans; a CloudWatch alarm looks back at most ${MAX_HOURS} hours, so the heartbeat cannot watch it: scan at least weekly, or set --param "heartbeatHours=off"`,
      );
    }
  }
  return { hours, longestGapSeconds: gap };
}

/**
 * For serverless.yml: the window from the deployment's own parameters.
 * @param {{ resolveVariable: (address: string) => Promise<unknown> }} serverless
 */
async function fromParams({ resolveVariable }) {
  const [schedule, scheduleEnabled, heartbeatHours] = await Promise.all([
    resolveVariable('param:scheduleRate'),
    resolveVariable('param:scheduleEnabled'),
    resolveVariable('param:heartbeatHours'),
  ]);
  return heartbeatWindow({ schedule: String(schedule), scheduleEnabled, heartbeatHours });
}

module.exports = {
  longestGapSeconds,
  heartbeatWindow,
  /** The stack parameter HeartbeatHours' default: the window in hours, 0 for no heartbeat alarm. */
  hours: async (/** @type {Parameters<typeof fromParams>[0]} */ serverless) => (await fromParams(serverless)).hours,
};
