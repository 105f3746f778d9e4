/**
 * The doctor's judgement: facts about a deployment in, what is fine and what is wrong (with what
 * to do) out. Pure: no AWS, no clock (the facts carry the time they were read).
 */
import {
  DoctorArea,
  type DoctorCheck,
  type DoctorFacts,
  type DoctorProblem,
  type DoctorReport,
  type MemberRoleFact,
  type RunRecord,
  type StackInstancesFact,
} from './types';

const DEFAULT_TIMEOUT_SECONDS = 900;
/** A scheduled scan older than this many periods (plus an hour) means the schedule stopped running it. */
const STALE_PERIODS = 2;

export function diagnose(facts: DoctorFacts): DoctorReport {
  const checks: DoctorCheck[] = [];
  const problems: DoctorProblem[] = [];
  const notes: string[] = [];
  const out = { checks, problems, notes };

  if (!facts.caller.ok) {
    problems.push({
      area: DoctorArea.DEPLOYMENT,
      summary: `cannot tell who is running the checks (STS GetCallerIdentity: ${facts.caller.code}: ${facts.caller.message})`,
      todo: 'give the credentials of the account the scanner runs in (--profile, or the SDK\'s usual chain)',
    });
  }
  organization(facts, out);
  memberRoles(facts, out);
  topic(facts, out);
  schedule(facts, out);
  lastScheduledRun(facts, out);
  failureQueue(facts, out);
  optionalParts(facts, out);

  return {
    healthy: problems.length === 0,
    checkedAt: facts.checkedAt,
    perspective: facts.perspective,
    ...(facts.caller.ok ? { principal: facts.caller.value.arn } : {}),
    source: facts.deployment.source,
    checks,
    problems,
    notes,
  };
}

interface Out {
  readonly checks: DoctorCheck[];
  readonly problems: DoctorProblem[];
  readonly notes: string[];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function callAs(instances: StackInstancesFact | undefined): string {
  return instances?.callAs === 'DELEGATED_ADMIN' ? ' --call-as DELEGATED_ADMIN' : '';
}

const DELEGATE =
  'aws organizations register-delegated-administrator --account-id <scanner-account-id> --service-principal member.org.stacksets.cloudformation.amazonaws.com';

function organization(facts: DoctorFacts, out: Out): void {
  const { organization } = facts;
  const todo =
    'run trailwatch in the organization\'s management account, or in an account registered (from the management account) as a delegated administrator, which may list the organization';
  if (!organization.ok) {
    out.problems.push({
      area: DoctorArea.ORGANIZATION,
      summary: `cannot list the organization (${organization.code}: ${organization.message})`,
      todo,
      commands: [DELEGATE],
    });
    return;
  }
  const org = organization.value;
  if (!org.listed) {
    out.problems.push({
      area: DoctorArea.ORGANIZATION,
      summary: `the organization's accounts cannot be listed, so a scan covers the caller's account alone (${org.notes.join('; ') || 'no reason given'})`,
      todo,
      commands: [DELEGATE],
    });
    return;
  }
  const inactive = org.inactive.length > 0 ? ` (${plural(org.inactive.length, 'account')} not active, not scanned)` : '';
  out.checks.push({ area: DoctorArea.ORGANIZATION, text: `lists ${plural(org.accounts.length, 'active account')}${org.id ? ` of ${org.id}` : ''}${inactive}` });
}

/** Why an AssumeRole failed, as one of the causes failures are grouped by. */
interface Cause {
  readonly key: string;
  readonly summary: (accounts: number) => string;
  readonly todo: string;
  readonly commands?: readonly string[];
}

function causeOf(failure: MemberRoleFact & { outcome: { ok: false } }, facts: DoctorFacts): Cause {
  const { deployment } = facts;
  const role = deployment.memberRoleName;
  const stackSet = deployment.memberStackSetName ?? 'trailwatch-member-role';
  const instances = facts.stackInstances?.ok ? facts.stackInstances.value : undefined;
  const management = facts.organization.ok ? facts.organization.value.managementAccountId : undefined;
  const caller = facts.caller.ok ? facts.caller.value : undefined;
  const { code, message } = failure.outcome;

  if (code !== 'AccessDenied') {
    return {
      key: `other:${code}:${message}`,
      summary: (n) => `AssumeRole of '${role}' failed in ${plural(n, 'account')} (${code}: ${message})`,
      todo: code === 'Throttled' || code === 'Timeout' ? 'run the doctor again; if it persists, see the AWS Health dashboard' : 'read the error: it names what AWS refused',
    };
  }
  if (deployment.externalId === undefined) {
    return {
      key: 'no-external-id',
      summary: (n) => `access denied in ${plural(n, 'account')}: the scanner presents no external ID, and the member role requires one`,
      todo: 'set the scanner\'s externalId parameter to the ExternalId the member role was deployed with (2 or more characters), then redeploy',
      commands: ['npm run deploy -- --stage <stage> --region <region> --param "externalId=<external-id>"'],
    };
  }
  if (failure.accountId === management && caller !== undefined && caller.accountId !== management) {
    return {
      key: 'management',
      summary: () => `the management account has no member role '${role}' the scanner may assume: a service-managed StackSet never deploys to the management account`,
      todo: 'deploy deploy/member-role.yml once more, as a plain stack, with the management account\'s credentials',
      commands: [
        `aws cloudformation deploy --template-file deploy/member-role.yml --stack-name ${stackSet} --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ScannerRoleArn=<scanner-role-arn> OrganizationId=<organization-id> ExternalId=<external-id> RoleName=${role}`,
      ],
    };
  }
  if (instances) {
    const instance = instances.instances.find((i) => i.accountId === failure.accountId);
    if (!instance) {
      return {
        key: 'not-reached',
        summary: (n) => `role missing in ${plural(n, 'account')}: the StackSet '${stackSet}' has no instance there (it did not reach them)`,
        todo: 'deploy the StackSet to an organizational unit that holds these accounts (its deployment targets), or move them into one it covers',
        commands: [
          `aws cloudformation create-stack-instances --stack-set-name ${stackSet} --deployment-targets OrganizationalUnitIds=<ou-or-root-id> --regions ${deployment.region}${callAs(instances)}`,
          `aws cloudformation list-stack-instances --stack-set-name ${stackSet}${callAs(instances)}`,
        ],
      };
    }
    if (instance.status !== 'CURRENT') {
      const why = [instance.detailedStatus, instance.statusReason].filter(Boolean).join(': ');
      return {
        key: `instance:${instance.status}:${why}`,
        summary: (n) => `role missing or out of date in ${plural(n, 'account')}: the StackSet's instance there is ${instance.status}${why ? ` (${why})` : ''}`,
        todo: 'read the StackSet operation that failed there, fix its cause, then update the instances',
        commands: [
          `aws cloudformation list-stack-set-operations --stack-set-name ${stackSet}${callAs(instances)}`,
          `aws cloudformation update-stack-instances --stack-set-name ${stackSet} --deployment-targets OrganizationalUnitIds=<ou-or-root-id> --regions ${instance.region}${callAs(instances)}`,
        ],
      };
    }
    const you = facts.perspective === 'caller' && caller
      ? `; from a terminal, the role must also trust ${caller.arn}: deploy the member role with TrustedPrincipalArn set to your role (see docs/operating.md)`
      : '';
    return {
      key: 'trust',
      summary: (n) =>
        `access denied in ${plural(n, 'account')} where the StackSet's role exists: it does not trust this principal with this external ID (a trust or external ID mismatch)`,
      todo: `compare the StackSet's ScannerRoleArn and ExternalId parameters with the scanner's role ARN (stack output ScannerRoleArn) and its externalId parameter, and update whichever is wrong${you}`,
      commands: [
        `aws cloudformation describe-stack-set --stack-set-name ${stackSet}${callAs(instances)} --query 'StackSet.Parameters'`,
        `aws cloudformation update-stack-set --stack-set-name ${stackSet}${callAs(instances)} --use-previous-template --capabilities CAPABILITY_NAMED_IAM --parameters ParameterKey=ScannerRoleArn,ParameterValue=<scanner-role-arn> ParameterKey=ExternalId,ParameterValue=<external-id> ParameterKey=OrganizationId,UsePreviousValue=true`,
      ],
    };
  }
  const unknownInstances = facts.stackInstances && !facts.stackInstances.ok
    ? ` (the StackSet '${stackSet}' could not be read: ${facts.stackInstances.code}: ${facts.stackInstances.message})`
    : deployment.memberStackSetName === undefined
      ? ' (no StackSet name is known to tell which)'
      : '';
  return {
    key: 'denied',
    summary: (n) => `access denied in ${plural(n, 'account')}: the role is missing there (the StackSet did not reach it) or does not trust this principal with this external ID${unknownInstances}`,
    todo: 'check the StackSet reaches these accounts, and that its ScannerRoleArn and ExternalId match the scanner\'s',
    commands: [`aws cloudformation list-stack-instances --stack-set-name ${stackSet}`, `aws cloudformation describe-stack-set --stack-set-name ${stackSet} --query 'StackSet.Parameters'`],
  };
}

function memberRoles(facts: DoctorFacts, out: Out): void {
  if (!facts.organization.ok || !facts.organization.value.listed) return;
  const role = facts.deployment.memberRoleName;
  const tried = facts.memberRoles;
  const failures = tried.filter((fact): fact is MemberRoleFact & { outcome: { ok: false } } => !fact.outcome.ok);
  if (tried.length === 0) {
    out.notes.push(`no member account to assume '${role}' in: the organization has no active account but the scanner's own`);
    return;
  }
  if (failures.length === 0) {
    out.checks.push({ area: DoctorArea.MEMBER_ROLE, text: `'${role}' assumed${facts.deployment.externalId !== undefined ? ' with the external ID' : ''} in every active account (${tried.length})` });
    return;
  }
  const groups = new Map<string, { cause: Cause; accounts: string[] }>();
  for (const failure of failures) {
    const cause = causeOf(failure, facts);
    const group = groups.get(cause.key) ?? { cause, accounts: [] };
    group.accounts.push(failure.accountId);
    groups.set(cause.key, group);
  }
  const worked = tried.length - failures.length;
  if (worked > 0) out.checks.push({ area: DoctorArea.MEMBER_ROLE, text: `'${role}' assumed in ${worked} of ${tried.length} active accounts` });
  for (const { cause, accounts } of [...groups.values()].sort((a, b) => b.accounts.length - a.accounts.length)) {
    out.problems.push({
      area: DoctorArea.MEMBER_ROLE,
      summary: cause.summary(accounts.length),
      accounts,
      todo: cause.todo,
      ...(cause.commands ? { commands: cause.commands } : {}),
    });
  }
}

function topic(facts: DoctorFacts, out: Out): void {
  const arn = facts.deployment.findingsTopicArn;
  if (arn === undefined || !facts.topic) {
    out.problems.push({ area: DoctorArea.TOPIC, summary: 'the deployment names no findings topic', todo: 'redeploy the scanner stack: it creates the topic and passes its ARN to the function' });
    return;
  }
  const region = arn.split(':')[3] ?? facts.deployment.region;
  const list = `aws sns list-subscriptions-by-topic --topic-arn ${arn} --region ${region}`;
  const subscribe = `aws sns subscribe --topic-arn ${arn} --protocol email --notification-endpoint <you@example.com> --region ${region}`;
  if (!facts.topic.ok) {
    out.problems.push({
      area: DoctorArea.TOPIC,
      summary: facts.topic.code === 'NotFound' ? `the findings topic ${arn} does not exist` : `the subscriptions of the findings topic ${arn} cannot be read (${facts.topic.code}: ${facts.topic.message})`,
      todo: facts.topic.code === 'NotFound' ? 'redeploy the scanner stack, which creates it' : 'give these credentials sns:ListSubscriptionsByTopic on the topic',
      commands: [list],
    });
    return;
  }
  const { subscriptions } = facts.topic.value;
  const confirmed = subscriptions.filter((s) => s.confirmed);
  const pending = subscriptions.filter((s) => !s.confirmed);
  if (confirmed.length > 0) {
    const kinds = [...new Set(confirmed.map((s) => s.protocol))].join(', ');
    const waiting = pending.length > 0 ? `; ${plural(pending.length, 'more')} waiting for confirmation` : '';
    out.checks.push({ area: DoctorArea.TOPIC, text: `${plural(confirmed.length, 'confirmed subscription')} (${kinds})${waiting}` });
    return;
  }
  if (pending.length > 0) {
    out.problems.push({
      area: DoctorArea.TOPIC,
      summary: `the findings topic's ${plural(pending.length, 'subscription')} (${[...new Set(pending.map((s) => s.protocol))].join(', ')}) ${pending.length === 1 ? 'waits' : 'wait'} for confirmation: no report reaches anyone yet`,
      todo: 'open the email "AWS Notification - Subscription Confirmation" and follow its "Confirm subscription" link (it expires after 3 days; subscribe again if it has)',
      commands: [list, subscribe],
    });
    return;
  }
  out.problems.push({
    area: DoctorArea.TOPIC,
    summary: 'nobody is subscribed to the findings topic: reports go nowhere',
    todo: 'redeploy with the notificationEmail parameter, or subscribe someone, then confirm the email',
    commands: [subscribe],
  });
}

function schedule(facts: DoctorFacts, out: Out): void {
  const name = facts.deployment.scheduleRuleName;
  if (name === undefined || !facts.schedule) {
    out.notes.push('the schedule was not checked: the deployment does not name its rule (redeploy this version of trailwatch)');
    return;
  }
  const region = facts.deployment.region;
  if (!facts.schedule.ok) {
    out.problems.push({
      area: DoctorArea.SCHEDULE,
      summary: facts.schedule.code === 'NotFound' ? `the schedule rule '${name}' does not exist: no scan runs by itself` : `the schedule rule '${name}' cannot be read (${facts.schedule.code}: ${facts.schedule.message})`,
      todo: facts.schedule.code === 'NotFound' ? 'redeploy the scanner stack, which creates it' : 'give these credentials events:DescribeRule on the rule',
      commands: [`aws events describe-rule --name ${name} --region ${region}`],
    });
    return;
  }
  const { state, expression } = facts.schedule.value;
  if (state !== 'ENABLED') {
    out.problems.push({
      area: DoctorArea.SCHEDULE,
      summary: `the schedule '${name}' is ${state}: no scheduled scan runs`,
      todo: 'enable it (or redeploy with scheduleEnabled=true)',
      commands: [`aws events enable-rule --name ${name} --region ${region}`],
    });
    return;
  }
  out.checks.push({ area: DoctorArea.SCHEDULE, text: `'${name}' is enabled${expression ? ` (${expression})` : ''}` });
}

/** The period of a rate() expression in milliseconds; undefined for cron() (judged by its time of day, not a period). */
export function schedulePeriodMs(expression: string | undefined): number | undefined {
  const match = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(expression?.trim() ?? '');
  if (!match) return undefined;
  const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[match[2]?.replace(/s$/, '') as 'minute' | 'hour' | 'day'];
  return Number(match[1]) * unit;
}

function ago(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}

function describeRun(run: RunRecord): string {
  const summary = run.summary ? `${run.summary.fail} FAIL, ${run.summary.error} ERROR, ${run.summary.pass} PASS` : 'no summary';
  const accounts = run.accounts ? ` in ${plural(run.accounts.total, 'account')}${run.accounts.notScanned > 0 ? ` (${run.accounts.notScanned} not scanned)` : ''}` : '';
  const published = run.published === undefined ? '' : run.published ? '; report published' : `; report not published${run.detail ? ` (${run.detail})` : ''}`;
  return `${summary}${accounts}${published}`;
}

function lastScheduledRun(facts: DoctorFacts, out: Out): void {
  const { deployment } = facts;
  const logs = deployment.functionName
    ? [`aws logs filter-log-events --log-group-name /aws/lambda/${deployment.functionName} --start-time <epoch-ms> --region ${deployment.region}`]
    : [];
  if (deployment.reportBucket === undefined || !facts.lastScheduledRun) {
    out.notes.push('the last scheduled scan was not checked: the deployment names no report bucket');
    return;
  }
  if (!facts.lastScheduledRun.ok) {
    out.problems.push({
      area: DoctorArea.LAST_SCAN,
      summary: `the record of the last scheduled scan cannot be read from s3://${deployment.reportBucket} (${facts.lastScheduledRun.code}: ${facts.lastScheduledRun.message})`,
      todo: 'give these credentials s3:GetObject on the report bucket',
    });
    return;
  }
  const run = facts.lastScheduledRun.value;
  if (!run) {
    out.notes.push(
      `no scheduled scan has run yet (nothing in s3://${deployment.reportBucket}/${deployment.reportPrefix}runs/): the first runs on the schedule; to run one now: aws lambda invoke --function-name ${deployment.functionName ?? '<function>'} --cli-binary-format raw-in-base64-out --payload '{}' summary.json`,
    );
    return;
  }
  const now = Date.parse(facts.checkedAt);
  const started = Date.parse(run.startedAt);
  const age = now - started;
  if (run.outcome === 'failed') {
    out.problems.push({
      area: DoctorArea.LAST_SCAN,
      summary: `the last scheduled scan (started ${run.startedAt}) failed: ${run.detail ?? 'no reason recorded'}`,
      todo: 'read the function\'s log for that run, fix the cause, then run a scan by hand to confirm',
      commands: logs,
    });
    return;
  }
  const timeoutMs = (facts.functionTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  if (run.outcome === 'running') {
    if (age > timeoutMs + 5 * 60_000) {
      out.problems.push({
        area: DoctorArea.LAST_SCAN,
        summary: `the last scheduled scan started ${run.startedAt} and never finished: it timed out or crashed`,
        todo: 'read the function\'s log for that run (a timeout: raise the timeout parameter, lower concurrency, or narrow the scan)',
        commands: logs,
      });
    } else {
      out.checks.push({ area: DoctorArea.LAST_SCAN, text: `a scheduled scan is running since ${run.startedAt}` });
    }
    return;
  }
  out.checks.push({ area: DoctorArea.LAST_SCAN, text: `ran ${run.startedAt} (${ago(age)} ago) and finished: ${describeRun(run)}` });
  const expression = facts.schedule?.ok ? facts.schedule.value.expression : undefined;
  const period = schedulePeriodMs(expression);
  if (period === undefined) {
    if (expression) out.notes.push(`the schedule is ${expression}: whether a scheduled scan is overdue is not judged for cron expressions`);
    return;
  }
  if (age > STALE_PERIODS * period + 3_600_000) {
    out.problems.push({
      area: DoctorArea.LAST_SCAN,
      summary: `the last scheduled scan was ${ago(age)} ago, and the schedule is ${expression}: scheduled scans have stopped`,
      todo: 'check the schedule is enabled and that EventBridge can invoke the function (its FailedInvocations metric), then read the function\'s log',
      commands: logs,
    });
  }
}

function failureQueue(facts: DoctorFacts, out: Out): void {
  const url = facts.deployment.failureQueueUrl;
  if (url === undefined || !facts.failureQueue) return;
  const region = facts.deployment.region;
  if (!facts.failureQueue.ok) {
    out.problems.push({
      area: DoctorArea.FAILURE_QUEUE,
      summary: `the failure queue ${url} cannot be read (${facts.failureQueue.code}: ${facts.failureQueue.message})`,
      todo: facts.failureQueue.code === 'NotFound' ? 'redeploy the scanner stack, which creates it' : 'give these credentials sqs:GetQueueAttributes on the queue',
    });
    return;
  }
  const { messages } = facts.failureQueue.value;
  if (messages === 0) {
    out.checks.push({ area: DoctorArea.FAILURE_QUEUE, text: 'empty: no invocation failed after its retries' });
    return;
  }
  out.problems.push({
    area: DoctorArea.FAILURE_QUEUE,
    summary: `${plural(messages, 'invocation')} failed after ${messages === 1 ? 'its' : 'their'} retries (messages in the failure queue)`,
    todo: 'read them (each holds the event and the error), fix the cause, then empty the queue',
    commands: [`aws sqs receive-message --queue-url ${url} --max-number-of-messages 10 --region ${region}`, `aws sqs purge-queue --queue-url ${url} --region ${region}`],
  });
}

function optionalParts(facts: DoctorFacts, out: Out): void {
  for (const { part, exists } of facts.optionalParts) {
    if (exists.ok && exists.value) {
      out.checks.push({ area: DoctorArea.OPTIONAL, text: `${part.name} ${part.id} exists` });
    } else if (exists.ok) {
      out.problems.push({
        area: DoctorArea.OPTIONAL,
        summary: `${part.name} ${part.id} (switched on by ${part.setting}) does not exist`,
        todo: `create it, or clear ${part.setting} and redeploy`,
      });
    } else {
      out.problems.push({
        area: DoctorArea.OPTIONAL,
        summary: `${part.name} ${part.id} (switched on by ${part.setting}) cannot be read (${exists.code}: ${exists.message})`,
        todo: 'give these credentials the read it needs, or check the setting',
      });
    }
  }
}
