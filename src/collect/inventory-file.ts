/**
 * Saving and loading inventories (`--save-inventory`, `trailwatch evaluate --inventory`): a JSON
 * file `{ "formatVersion": 1, "organization": {...}, "inventories": [...] }`, checked field by
 * field on the way in. The organization is kept so organization trails are credited offline too.
 * Unknown fields are kept, so a file written by a newer collector loses nothing.
 */
import { z } from 'zod';
import { UsageError } from '../errors';
import { redactedSubscription } from './endpoints';
import { INVENTORY_FORMAT_VERSION, type AccountInventory, type OrganizationContext } from './inventory';

/** An inventory file that cannot be read: not JSON, or a field with the wrong shape. */
export class InventoryFileError extends UsageError {
  constructor(
    message: string,
    /** Where in the file, e.g. "inventories[0].trails[2].homeRegion"; absent when the file is not JSON. */
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const text = z.string();
const stringList = z.array(text);

const readErrorSchema = z.looseObject({
  scope: z.enum(['account', 'regions', 'trails', 'trailStatus', 'eventSelectors', 'metricFilters', 'alarms', 'topic', 'subscriptions', 'resourcePolicy']),
  resource: text.optional(),
  region: text.optional(),
  code: z.enum(['AccessDenied', 'Throttled', 'NotEnabled', 'NotFound', 'Timeout', 'Other']),
  message: text,
});

const basicEventSelectorSchema = z.looseObject({
  readWriteType: z.enum(['ReadOnly', 'WriteOnly', 'All']).optional(),
  includeManagementEvents: z.boolean().optional(),
  excludeManagementEventSources: stringList.optional(),
  dataResources: z.array(z.looseObject({ type: text.optional(), values: stringList.optional() })).optional(),
});

const advancedEventSelectorSchema = z.looseObject({
  name: text.optional(),
  fieldSelectors: z.array(
    z.looseObject({
      field: text,
      equals: stringList.optional(),
      startsWith: stringList.optional(),
      endsWith: stringList.optional(),
      notEquals: stringList.optional(),
      notStartsWith: stringList.optional(),
      notEndsWith: stringList.optional(),
    }),
  ),
});

const trailSchema = z.looseObject({
  arn: text,
  name: text,
  homeRegion: text,
  ownerAccountId: text,
  isMultiRegionTrail: z.boolean().optional(),
  isOrganizationTrail: z.boolean().optional(),
  includeGlobalServiceEvents: z.boolean().optional(),
  cloudWatchLogsLogGroupArn: text.optional(),
  cloudWatchLogsRoleArn: text.optional(),
  status: z
    .looseObject({
      isLogging: z.boolean(),
      latestCloudWatchLogsDeliveryError: text.optional(),
      latestCloudWatchLogsDeliveryTime: text.optional(),
    })
    .optional(),
  eventSelectors: z.array(basicEventSelectorSchema).optional(),
  advancedEventSelectors: z.array(advancedEventSelectorSchema).optional(),
});

const metricFilterSchema = z.looseObject({
  name: text,
  logGroupName: text,
  pattern: text,
  transformations: z.array(
    z.looseObject({
      metricName: text,
      metricNamespace: text,
      metricValue: text,
      defaultValue: z.number().optional(),
      dimensions: z.record(text, text).optional(),
      unit: text.optional(),
    }),
  ),
});

const logGroupSchema = z.looseObject({
  arn: text,
  name: text,
  region: text,
  accountId: text,
  metricFilters: z.array(metricFilterSchema).optional(),
});

const dimensionSchema = z.looseObject({ name: text, value: text });

const alarmSchema = z.looseObject({
  name: text,
  arn: text,
  region: text,
  metricName: text.optional(),
  namespace: text.optional(),
  dimensions: z.array(dimensionSchema),
  metrics: z
    .array(
      z.looseObject({
        id: text,
        expression: text.optional(),
        label: text.optional(),
        returnData: z.boolean().optional(),
        period: z.number().optional(),
        metricStat: z
          .looseObject({
            metricName: text,
            namespace: text,
            dimensions: z.array(dimensionSchema),
            period: z.number(),
            stat: text,
            unit: text.optional(),
          })
          .optional(),
      }),
    )
    .optional(),
  statistic: text.optional(),
  extendedStatistic: text.optional(),
  period: z.number().optional(),
  evaluationPeriods: z.number(),
  datapointsToAlarm: z.number().optional(),
  threshold: z.number().optional(),
  comparisonOperator: text,
  treatMissingData: text.optional(),
  actionsEnabled: z.boolean(),
  alarmActions: stringList,
  stateValue: text.optional(),
  stateUpdatedTimestamp: text.optional(),
});

const topicSchema = z.looseObject({
  arn: text,
  region: text,
  accountId: text,
  exists: z.boolean(),
  policy: text.optional(),
  kmsMasterKeyId: text.optional(),
  // An endpoint a file holds whole (an older trailwatch, a hand-made file) is redacted on the way in.
  subscriptions: z
    .array(
      z
        .looseObject({ subscriptionArn: text, protocol: text, endpoint: text, owner: text.optional(), endpointSha256: text.optional() })
        .transform((subscription) => redactedSubscription(subscription)),
    )
    .optional(),
});

const resourcePolicySchema = z.looseObject({
  arn: text,
  kind: z.enum(['sqs', 'lambda', 'kms']),
  exists: z.boolean().optional(),
  policy: text.optional(),
  key: z.looseObject({ arn: text, manager: text.optional(), state: text.optional() }).optional(),
  kmsMasterKeyId: text.optional(),
});

const accountInventorySchema = z.looseObject({
  formatVersion: z.literal(INVENTORY_FORMAT_VERSION),
  accountId: text,
  collectedAt: text,
  regions: stringList,
  regionsNotEnabled: stringList.optional(),
  trails: z.array(trailSchema),
  logGroups: z.record(text, logGroupSchema),
  alarms: z.record(text, z.array(alarmSchema)),
  topics: z.record(text, topicSchema),
  resourcePolicies: z.record(text, resourcePolicySchema).optional(),
  readErrors: z.array(readErrorSchema),
  apiCalls: z.record(text, z.number()).optional(),
  judgedThrough: z.looseObject({ organizationTrailOwner: text, trails: stringList }).optional(),
});

const organizationSchema = z.looseObject({
  managementAccountId: text.optional(),
  memberAccountIds: z.array(text),
  accountParents: z.record(text, stringList).optional(),
});

const inventoryFileSchema = z.looseObject({
  formatVersion: z.literal(INVENTORY_FORMAT_VERSION),
  organization: organizationSchema.optional(),
  inventories: z.array(accountInventorySchema),
});

/** What an inventory file holds: the accounts' inventories and, when known, the organization. */
export interface InventoryFile {
  readonly inventories: AccountInventory[];
  readonly organization?: OrganizationContext;
}

// The schema must describe the model: a change to AccountInventory that the schema misses fails to compile.
const _schemaMatchesModel: z.ZodType<AccountInventory> = accountInventorySchema;

/** The file text for these inventories (stable key order: as the collector built them). */
export function serializeInventories(inventories: readonly AccountInventory[], organization?: OrganizationContext): string {
  return `${JSON.stringify({ formatVersion: INVENTORY_FORMAT_VERSION, ...(organization ? { organization } : {}), inventories }, null, 2)}\n`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(top level)';
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const path = formatPath(issue.path);
  if (issue.code === 'invalid_value' && path.endsWith('formatVersion')) {
    const found = valueAt(data, issue.path);
    return typeof found === 'number' && found > INVENTORY_FORMAT_VERSION
      ? `${path} is ${found}: the file was written by a newer trailwatch, this one reads format ${INVENTORY_FORMAT_VERSION}`
      : `${path} must be ${INVENTORY_FORMAT_VERSION}, found ${JSON.stringify(found)}`;
  }
  if (issue.code === 'invalid_type') {
    const found = valueAt(data, issue.path);
    return found === undefined ? `${path} is missing (expected ${issue.expected})` : `${path} must be ${issue.expected}, found ${describeValue(found)}`;
  }
  return `${path}: ${issue.message}`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Reads an inventory file: the object `serializeInventories` writes, or (for convenience) a bare
 * list of inventories or a single one. Throws InventoryFileError naming the first bad field.
 */
export function parseInventoryFile(fileText: string): AccountInventory[] {
  return readInventoryFile(fileText).inventories;
}

/** A report has findings and a summary, and no inventories: the likeliest wrong file to be given. */
function isScanReport(data: unknown): boolean {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && 'findings' in data && 'summary' in data && !('inventories' in data);
}

/** Like parseInventoryFile, with the organization the file was saved with. */
export function readInventoryFile(fileText: string): InventoryFile {
  let data: unknown;
  try {
    data = JSON.parse(fileText);
  } catch (error) {
    throw new InventoryFileError(`the inventory file is not JSON: ${(error as Error).message}`, undefined, { cause: error });
  }
  if (isScanReport(data)) {
    throw new InventoryFileError('this is a scan report (scan --format json), not an inventory: save an inventory with trailwatch scan --save-inventory FILE');
  }
  const wrapped = Array.isArray(data)
    ? { formatVersion: INVENTORY_FORMAT_VERSION, inventories: data }
    : data !== null && typeof data === 'object' && 'accountId' in data
      ? { formatVersion: INVENTORY_FORMAT_VERSION, inventories: [data] }
      : data;
  const parsed = inventoryFileSchema.safeParse(wrapped);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    if (!issue) throw new InventoryFileError('the inventory file is not valid');
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem${parsed.error.issues.length > 2 ? 's' : ''})` : '';
    throw new InventoryFileError(`bad inventory file: ${describeIssue(issue, wrapped)}${more}`, formatPath(issue.path));
  }
  const inventories = parsed.data.inventories as AccountInventory[];
  const seen = new Set<string>();
  for (const [index, inventory] of inventories.entries()) {
    if (seen.has(inventory.accountId)) {
      throw new InventoryFileError(`bad inventory file: account ${inventory.accountId} appears twice (inventories[${index}])`, `inventories[${index}].accountId`);
    }
    seen.add(inventory.accountId);
  }
  const organization = parsed.data.organization as OrganizationContext | undefined;
  return { inventories, ...(organization ? { organization } : {}) };
}
