/**
 * Resource policies (SNS topic, SQS queue, Lambda function, KMS key policies) judged for one
 * request an AWS service makes on the chain's behalf: CloudWatch publishing an alarm, SNS
 * delivering to a queue or function, either of them using a KMS key. Pure and bounded: a
 * policy comes from a member account and is untrusted, so its size, its statements and the
 * wildcard work it can cause are capped, and whatever cannot be decided exactly is
 * "undetermined", never "allowed".
 *
 * IAM's rules, as the IAM User Guide states them: an explicit Deny wins; otherwise some Allow
 * must match principal, action, resource and every condition. A condition on a key the request
 * lacks is false, except for negated operators (StringNot..., ArnNot...), which are true, and
 * ...IfExists, which is true. Several values of one key are ORed (NORed when negated); several
 * keys and operators are ANDed.
 */

export type PolicyDecision =
  | { readonly decision: 'allowed' }
  | { readonly decision: 'not-allowed'; readonly detail: string }
  | { readonly decision: 'undetermined'; readonly detail: string };

/** One request a service principal makes. */
export interface ServiceRequest {
  /** The service principal, e.g. 'sns.amazonaws.com'. */
  readonly service: string;
  /** Every action the delivery needs; each must be allowed, e.g. ['kms:GenerateDataKey', 'kms:Decrypt']. */
  readonly actions: readonly string[];
  /** The ARN of the resource acted on. */
  readonly resource: string;
  /** Condition keys the request carries (any case), with their values. */
  readonly context: Readonly<Record<string, string>>;
}

/** The largest policy read: AWS caps these at 32 KB (KMS), 30 KB (SNS), 20 KB (Lambda), so more is not a policy AWS holds. */
export const MAX_POLICY_BYTES = 64 * 1024;
const MAX_STATEMENTS = 500;
/** Character comparisons of wildcard matching allowed per decision. */
const WILDCARD_BUDGET = 2_000_000;

type Match = 'yes' | 'no' | 'maybe';

/** Keys every service-principal request carries, whatever the service. */
function serviceContext(service: string): Record<string, string> {
  return { 'aws:securetransport': 'true', 'aws:principalisawsservice': 'true', 'aws:principalservicename': service };
}

/** Keys a service-principal request never carries (an organization, a VPC endpoint, principal tags are a person's or a role's). */
function knownAbsent(key: string): boolean {
  return ['aws:principalorgid', 'aws:principalorgpaths', 'aws:sourcevpc', 'aws:sourcevpce'].includes(key) || key.startsWith('aws:principaltag/');
}

class OverBudget extends Error {}

/** `*` and `?` wildcards, linear in practice and O(pattern × value) at worst, every step charged to the budget. */
class Wildcards {
  private spent = 0;

  match(pattern: string, value: string, ignoreCase = false): boolean {
    const p = ignoreCase ? pattern.toLowerCase() : pattern;
    const v = ignoreCase ? value.toLowerCase() : value;
    let pi = 0;
    let vi = 0;
    let star = -1;
    let resume = 0;
    while (vi < v.length) {
      this.spent += 1;
      if (this.spent > WILDCARD_BUDGET) throw new OverBudget();
      if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
        pi += 1;
        vi += 1;
      } else if (pi < p.length && p[pi] === '*') {
        star = pi;
        resume = vi;
        pi += 1;
      } else if (star >= 0) {
        pi = star + 1;
        resume += 1;
        vi = resume;
      } else {
        return false;
      }
    }
    while (pi < p.length && p[pi] === '*') pi += 1;
    return pi === p.length;
  }

  /** ArnLike: each of the six colon-separated parts on its own (the last keeps its colons). */
  arnMatch(pattern: string, value: string): boolean {
    const parts = (text: string) => {
      const split = text.split(':');
      return [...split.slice(0, 5), split.slice(5).join(':')];
    };
    if (value.split(':').length < 6) return this.match(pattern, value);
    if (pattern.split(':').length < 6) return false;
    const want = parts(pattern);
    const have = parts(value);
    return want.every((part, index) => this.match(part, have[index] ?? ''));
  }
}

function strings(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (typeof value === 'boolean' || typeof value === 'number') return [String(value)];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'boolean' || typeof item === 'number')) {
    return value.map(String);
  }
  return undefined;
}

function and(parts: readonly Match[]): Match {
  if (parts.includes('no')) return 'no';
  return parts.includes('maybe') ? 'maybe' : 'yes';
}

function not(match: Match): Match {
  return match === 'yes' ? 'no' : match === 'no' ? 'yes' : 'maybe';
}

/** Who the statement names, for a service principal: '*', AWS '*' and the service itself match. */
function principalSetMatches(principal: unknown, service: string): Match {
  if (principal === '*') return 'yes';
  if (principal === null || typeof principal !== 'object' || Array.isArray(principal)) return 'maybe';
  const byType = principal as Record<string, unknown>;
  const aws = byType.AWS === undefined ? [] : strings(byType.AWS);
  const services = byType.Service === undefined ? [] : strings(byType.Service);
  if (aws === undefined || services === undefined) return 'maybe';
  if (aws.includes('*')) return 'yes';
  return services.some((name) => name.toLowerCase() === service) ? 'yes' : 'no';
}

function principalMatches(statement: Record<string, unknown>, service: string): Match {
  if ('Principal' in statement) return principalSetMatches(statement.Principal, service);
  if ('NotPrincipal' in statement) return not(principalSetMatches(statement.NotPrincipal, service));
  return 'maybe';
}

function listMatches(statement: Record<string, unknown>, key: string, matches: (pattern: string) => boolean): Match {
  const negated = `Not${key}`;
  if (key in statement) {
    const patterns = strings(statement[key]);
    return patterns === undefined ? 'maybe' : patterns.some(matches) ? 'yes' : 'no';
  }
  if (negated in statement) {
    const patterns = strings(statement[negated]);
    return patterns === undefined ? 'maybe' : patterns.some(matches) ? 'no' : 'yes';
  }
  return 'maybe';
}

const OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
  'Bool',
]);

function valueMatches(operator: string, pattern: string, value: string, wildcards: Wildcards): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
    case 'ArnEquals':
    case 'ArnNotEquals':
      return pattern === value;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
    case 'Bool':
      return pattern.toLowerCase() === value.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return wildcards.match(pattern, value);
    default:
      return wildcards.arnMatch(pattern, value);
  }
}

function conditionMatches(statement: Record<string, unknown>, context: Readonly<Record<string, string>>, wildcards: Wildcards): Match {
  const condition = statement.Condition;
  if (condition === undefined) return 'yes';
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return 'maybe';
  const results: Match[] = [];
  for (const [rawOperator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) return 'maybe';
    const ifExists = rawOperator.endsWith('IfExists');
    const operator = ifExists ? rawOperator.slice(0, -'IfExists'.length) : rawOperator;
    for (const [rawKey, rawValues] of Object.entries(block as Record<string, unknown>)) {
      const key = rawKey.toLowerCase();
      const values = strings(rawValues);
      const present = key in context;
      if (values === undefined || values.some((value) => value.includes('${'))) {
        results.push('maybe');
        continue;
      }
      if (operator === 'Null' && !ifExists) {
        if (!present && !knownAbsent(key)) results.push('maybe');
        else results.push(values.some((value) => value.toLowerCase() === String(!present)) ? 'yes' : 'no');
        continue;
      }
      if (!OPERATORS.has(operator)) {
        results.push('maybe');
        continue;
      }
      const negated = operator.includes('Not');
      if (!present) {
        // IAM: a missing key fails a positive operator and satisfies a negated one or ...IfExists.
        results.push(!knownAbsent(key) ? 'maybe' : ifExists || negated ? 'yes' : 'no');
        continue;
      }
      const value = context[key] as string;
      const any = values.some((pattern) => valueMatches(operator, pattern, value, wildcards));
      results.push(negated ? (any ? 'no' : 'yes') : any ? 'yes' : 'no');
    }
  }
  return and(results);
}

/** How a person finds the statement: its number and, when it has one, its Sid (quoted: it is the account's text). */
export function statementLabel(statement: Record<string, unknown>, index: number): string {
  const sid = typeof statement.Sid === 'string' && statement.Sid !== '' ? ` (Sid ${quoteUntrusted(statement.Sid)})` : '';
  return `statement ${index + 1}${sid}`;
}

/**
 * A value from a member account, safe to print: JSON-quoted, with the control characters JSON
 * leaves raw (DEL, C1, line and paragraph separators) escaped too, and cut short.
 */
export function quoteUntrusted(value: string, max = 64): string {
  const quoted = JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
  return quoted.replace(/[\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export type ParsedPolicy = { readonly statements: Record<string, unknown>[] } | { readonly error: string };

/** Reads a policy's statements, or says why it cannot be read. Never throws. */
export function parsePolicy(text: string): ParsedPolicy {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_POLICY_BYTES) return { error: `its policy is ${bytes} bytes, more than any AWS resource policy may hold` };
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    return { error: 'its policy is not valid JSON' };
  }
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) return { error: 'its policy is not a JSON object' };
  const raw = (policy as Record<string, unknown>).Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length > MAX_STATEMENTS) return { error: `its policy has ${list.length} statements, more than trailwatch reads (${MAX_STATEMENTS})` };
  if (!list.every((statement) => statement !== null && typeof statement === 'object' && !Array.isArray(statement))) {
    return { error: 'its policy has a statement that is not a JSON object' };
  }
  return { statements: list as Record<string, unknown>[] };
}

function decideAction(statements: readonly Record<string, unknown>[], request: ServiceRequest, action: string, wildcards: Wildcards): PolicyDecision {
  const context = { ...serviceContext(request.service), ...Object.fromEntries(Object.entries(request.context).map(([key, value]) => [key.toLowerCase(), value])) };
  const judged = statements.map((statement, index) => ({
    statement,
    index,
    effect: statement.Effect,
    match: and([
      principalMatches(statement, request.service),
      listMatches(statement, 'Action', (pattern) => wildcards.match(pattern, action, true)),
      listMatches(statement, 'Resource', (pattern) => wildcards.match(pattern, request.resource)),
      conditionMatches(statement, context, wildcards),
    ]),
  }));
  const deny = judged.find((item) => item.effect === 'Deny' && item.match === 'yes');
  if (deny) return { decision: 'not-allowed', detail: `${statementLabel(deny.statement, deny.index)} denies ${request.service} ${action}` };
  const denyMaybe = judged.find((item) => item.effect === 'Deny' && item.match === 'maybe');
  const allow = judged.find((item) => item.effect === 'Allow' && item.match === 'yes');
  if (allow && !denyMaybe) return { decision: 'allowed' };
  const unclear = denyMaybe ?? judged.find((item) => item.effect === 'Allow' && item.match === 'maybe');
  if (unclear) {
    return {
      decision: 'undetermined',
      detail: `trailwatch cannot evaluate ${statementLabel(unclear.statement, unclear.index)} of its policy for ${request.service} ${action} (a condition key, operator or element it does not model)`,
    };
  }
  return { decision: 'not-allowed', detail: `no statement of its policy allows ${request.service} ${action}` };
}

/** Whether the policy lets the service make the request: every action allowed, none denied. */
export function decide(policyText: string, request: ServiceRequest): PolicyDecision {
  const parsed = parsePolicy(policyText);
  if ('error' in parsed) return { decision: 'undetermined', detail: parsed.error };
  const wildcards = new Wildcards();
  try {
    const decisions = request.actions.map((action) => decideAction(parsed.statements, request, action, wildcards));
    return decisions.find((d) => d.decision === 'not-allowed') ?? decisions.find((d) => d.decision === 'undetermined') ?? { decision: 'allowed' };
  } catch (error) {
    if (!(error instanceof OverBudget)) throw error;
    return { decision: 'undetermined', detail: 'its policy takes more wildcard matching than trailwatch allows itself' };
  }
}
