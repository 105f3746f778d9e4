/** Log group rules: the trail delivers to CloudWatch Logs, to a log group joined by ARN (never by name), whose metric filters were read. */
import type { AccountInventory, LogGroupRecord, TrailRecord } from '../../collect/inventory';
import { logGroupKey, logGroupName, parseArn } from '../../arn';
import { describeReadError, findReadError, type EvaluationContext } from '../context';
import * as fixes from '../fixes';
import { command, named } from '../text';
import { fail, pass, unknown, type LinkVerdict } from '../verdict';
import { trailName } from './trail';

export interface LogGroupLink {
  readonly verdict: LinkVerdict;
  /** The log group ARN (without ':*') the trail delivers to, when it has one. */
  readonly arn?: string;
  /** The log group and the inventory holding it, when its metric filters are known. */
  readonly logGroup?: LogGroupRecord & { readonly metricFilters: NonNullable<LogGroupRecord['metricFilters']> };
  readonly inventory?: AccountInventory;
}

export function logGroupText(arn: string, viewer: string): string {
  const parsed = parseArn(arn);
  return named('log group', logGroupName(arn) ?? arn, { accountId: parsed?.accountId, region: parsed?.region, viewer });
}

export function logGroupLink(trail: TrailRecord, ctx: EvaluationContext, viewer: string): LogGroupLink {
  const trailText = trailName(trail, viewer);
  if (trail.cloudWatchLogsLogGroupArn === undefined || trail.cloudWatchLogsLogGroupArn === '') {
    const fix = fixes.deliverToCloudWatchLogs(trail.name, trail.homeRegion);
    return { verdict: fail('logGroup', `${trailText} does not deliver to CloudWatch Logs: send it to a log group with ${command(fix)}`, fix) };
  }
  const arn = logGroupKey(trail.cloudWatchLogsLogGroupArn);
  const parsed = parseArn(arn);
  const groupText = logGroupText(arn, viewer);
  if (!parsed || parsed.service !== 'logs') {
    return { arn, verdict: fail('logGroup', `${trailText} names '${trail.cloudWatchLogsLogGroupArn}' as its log group, which is no log group ARN: set a valid one with ${command(fixes.deliverToCloudWatchLogs(trail.name, trail.homeRegion))}`) };
  }

  const warnings: string[] = [];
  const deliveryError = trail.status?.latestCloudWatchLogsDeliveryError;
  if (deliveryError) {
    if (trail.status?.latestCloudWatchLogsDeliveryTime === undefined) {
      return {
        arn,
        verdict: fail('logGroup', `${trailText} has never delivered to ${groupText} (CloudWatch Logs said '${deliveryError}'): check that role '${trail.cloudWatchLogsRoleArn ?? '(none)'}' may write to it`),
      };
    }
    warnings.push(`${trailText} last reported a CloudWatch Logs delivery error ('${deliveryError}'); its last delivery was at ${trail.status.latestCloudWatchLogsDeliveryTime}`);
  }

  const inventory = ctx.inventory(parsed.accountId);
  if (!inventory) return { arn, verdict: unknown('logGroup', `${groupText} is in ${ctx.missingAccount(parsed.accountId)}`) };
  const record = inventory.logGroups[arn];
  const error = findReadError(inventory, 'metricFilters', { resources: [arn], region: parsed.region });
  if (record?.metricFilters === undefined) {
    if (error?.code === 'NotFound') {
      const fix = fixes.deliverToCloudWatchLogs(trail.name, trail.homeRegion);
      return { arn, verdict: fail('logGroup', `${groupText}, where ${trailText} delivers, does not exist: create it or point the trail at an existing one with ${command(fix)}`, fix) };
    }
    const why = error ? describeReadError(error) : record ? 'they were not collected' : 'it was not collected';
    return { arn, verdict: unknown('logGroup', `trailwatch could not read the metric filters of ${groupText} (${why})`) };
  }
  return { arn, logGroup: { ...record, metricFilters: record.metricFilters }, inventory, verdict: pass(warnings) };
}
