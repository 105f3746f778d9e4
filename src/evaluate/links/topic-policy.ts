/**
 * Does a topic policy let CloudWatch publish an alarm's notification? CloudWatch publishes as the
 * service principal cloudwatch.amazonaws.com on behalf of the alarm's account, with
 * aws:SourceArn (the alarm) and aws:SourceAccount / aws:SourceOwner (its account) in the request
 * context: the default topic policy (`"AWS": "*"` with `AWS:SourceOwner` = the topic's account)
 * lets same-account alarms publish. Statements trailwatch cannot evaluate (NotPrincipal, other
 * condition keys or operators) make the answer "undetermined", never "allowed".
 */

export type PolicyDecision =
  | { readonly decision: 'allowed' }
  | { readonly decision: 'not-allowed'; readonly detail: string }
  | { readonly decision: 'undetermined'; readonly detail: string };

type Match = 'yes' | 'no' | 'maybe';

interface RequestContext {
  readonly topicArn: string;
  readonly alarmArn: string;
  readonly alarmAccountId: string;
}

function list(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

function glob(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

function principalMatches(statement: Record<string, unknown>): Match {
  if ('NotPrincipal' in statement) return 'maybe';
  const principal = statement.Principal;
  if (principal === '*') return 'yes';
  if (principal === null || typeof principal !== 'object') return 'no';
  const byType = principal as Record<string, unknown>;
  if ((list(byType.AWS) ?? []).includes('*')) return 'yes';
  if ((list(byType.Service) ?? []).includes('cloudwatch.amazonaws.com')) return 'yes';
  return 'no';
}

function actionMatches(statement: Record<string, unknown>): Match {
  if ('NotAction' in statement) return 'maybe';
  const actions = list(statement.Action);
  if (!actions) return 'maybe';
  return actions.some((action) => glob(action, 'sns:Publish', true)) ? 'yes' : 'no';
}

function resourceMatches(statement: Record<string, unknown>, context: RequestContext): Match {
  if ('NotResource' in statement) return 'maybe';
  const resources = list(statement.Resource);
  if (!resources) return 'maybe';
  return resources.some((resource) => glob(resource, context.topicArn)) ? 'yes' : 'no';
}

function contextValue(key: string, context: RequestContext): string | undefined {
  switch (key.toLowerCase()) {
    case 'aws:sourcearn':
      return context.alarmArn;
    case 'aws:sourceaccount':
    case 'aws:sourceowner':
      return context.alarmAccountId;
    default:
      return undefined;
  }
}

function conditionMatches(statement: Record<string, unknown>, context: RequestContext): Match {
  const condition = statement.Condition;
  if (condition === undefined) return 'yes';
  if (condition === null || typeof condition !== 'object') return 'maybe';
  let result: Match = 'yes';
  for (const [rawOperator, block] of Object.entries(condition as Record<string, unknown>)) {
    const operator = rawOperator.replace(/IfExists$/, '');
    if (block === null || typeof block !== 'object') return 'maybe';
    for (const [key, rawValues] of Object.entries(block as Record<string, unknown>)) {
      const value = contextValue(key, context);
      const values = list(rawValues);
      if (value === undefined || values === undefined) return 'maybe';
      let matched: boolean;
      switch (operator) {
        case 'StringEquals':
        case 'ArnEquals':
          matched = values.includes(value);
          break;
        case 'StringEqualsIgnoreCase':
          matched = values.some((candidate) => candidate.toLowerCase() === value.toLowerCase());
          break;
        case 'StringLike':
        case 'ArnLike':
          matched = values.some((candidate) => glob(candidate, value));
          break;
        case 'StringNotEquals':
        case 'ArnNotEquals':
          matched = !values.includes(value);
          break;
        case 'StringNotLike':
        case 'ArnNotLike':
          matched = !values.some((candidate) => glob(candidate, value));
          break;
        default:
          return 'maybe';
      }
      if (!matched) result = 'no';
    }
  }
  return result;
}

function statementMatches(statement: Record<string, unknown>, context: RequestContext): Match {
  const parts = [principalMatches(statement), actionMatches(statement), resourceMatches(statement, context), conditionMatches(statement, context)];
  if (parts.includes('no')) return 'no';
  return parts.includes('maybe') ? 'maybe' : 'yes';
}

export function cloudWatchMayPublish(policyText: string, context: RequestContext): PolicyDecision {
  let policy: unknown;
  try {
    policy = JSON.parse(policyText);
  } catch {
    return { decision: 'undetermined', detail: 'its policy is not valid JSON' };
  }
  const rawStatements = policy !== null && typeof policy === 'object' ? (policy as Record<string, unknown>).Statement : undefined;
  const statements = (Array.isArray(rawStatements) ? rawStatements : rawStatements !== undefined ? [rawStatements] : []).filter(
    (statement): statement is Record<string, unknown> => statement !== null && typeof statement === 'object',
  );
  const verdicts = statements.map((statement) => ({ effect: statement.Effect, match: statementMatches(statement, context) }));
  if (verdicts.some((verdict) => verdict.effect === 'Deny' && verdict.match === 'yes')) {
    return { decision: 'not-allowed', detail: 'a Deny statement of its policy stops cloudwatch.amazonaws.com from publishing' };
  }
  const denyMaybe = verdicts.some((verdict) => verdict.effect === 'Deny' && verdict.match === 'maybe');
  if (verdicts.some((verdict) => verdict.effect === 'Allow' && verdict.match === 'yes') && !denyMaybe) return { decision: 'allowed' };
  if (denyMaybe || verdicts.some((verdict) => verdict.effect === 'Allow' && verdict.match === 'maybe')) {
    return { decision: 'undetermined', detail: 'its policy has statements trailwatch cannot evaluate (NotPrincipal, NotAction or conditions on other keys)' };
  }
  return { decision: 'not-allowed', detail: `no statement of its policy lets cloudwatch.amazonaws.com publish for alarms of account ${context.alarmAccountId}` };
}
