/**
 * `--fix-alarms`: re-enables the actions of a person's disabled alarm, and changes nothing else
 * of it. The one write to something trailwatch did not make; opt-in, and the only user of
 * cloudwatch:EnableAlarmActions (granted only when fix-alarms is switched on).
 */
import { EnableAlarmActionsCommand } from '@aws-sdk/client-cloudwatch';
import { RemediationError } from './errors';
import { describeMetricAlarm } from './reads';
import type { StepContext, StepResult } from './runner';
import { ChangeStatus, type EnableAlarmActionsChange } from './types';

export async function enableAlarmActions(change: EnableAlarmActionsChange, context: StepContext): Promise<StepResult> {
  const alarm = await describeMetricAlarm(context, change.region, change.alarmName);
  if (!alarm) {
    throw new RemediationError(`alarm ${change.alarmName} no longer exists`, { accountId: change.accountId, region: change.region, resource: change.alarmArn });
  }
  if (alarm.ActionsEnabled) return { status: ChangeStatus.UNCHANGED, detail: 'its actions are enabled' };
  context.beforeWrite();
  await context.clients.cloudWatch(context.session, change.region).send(new EnableAlarmActionsCommand({ AlarmNames: [change.alarmName] }));
  return { status: ChangeStatus.APPLIED };
}
