/**
 * Does a trail's event selection log the management events a check needs, read and write, from
 * the check's event sources? Basic selectors (IncludeManagementEvents, ReadWriteType,
 * ExcludeManagementEventSources) and advanced selectors (eventCategory, readOnly, eventSource
 * field selectors) are both read by what they let through.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, BasicEventSelector } from '../../collect/inventory';
import type { CheckDefinition } from '../../controls/types';
import { andList } from '../text';

export type SelectionVerdict =
  | { readonly outcome: 'pass'; readonly warnings: readonly string[] }
  | { readonly outcome: 'fail'; readonly problem: string }
  | { readonly outcome: 'unknown'; readonly problem: string };

type Direction = 'read' | 'write';
const DIRECTIONS: readonly Direction[] = ['read', 'write'];

/** Stands for "every event source" when a check's events may come from any service. */
const EVERY_SOURCE = Symbol('every source');
type Source = string | typeof EVERY_SOURCE;

function describeDirection(direction: Direction): string {
  return direction === 'read' ? 'read-only' : 'write';
}

// ---- basic selectors ----

function basicLogs(selector: BasicEventSelector, direction: Direction, source: Source): boolean {
  if (selector.includeManagementEvents === false) return false;
  const type = selector.readWriteType ?? 'All';
  if (type !== 'All' && type !== (direction === 'read' ? 'ReadOnly' : 'WriteOnly')) return false;
  return source === EVERY_SOURCE || !(selector.excludeManagementEventSources ?? []).includes(source);
}

function basicVerdict(selectors: readonly BasicEventSelector[], definition: CheckDefinition): SelectionVerdict {
  const management = selectors.filter((selector) => selector.includeManagementEvents !== false);
  if (management.length === 0) return { outcome: 'fail', problem: 'does not log management events' };
  const missingDirections = DIRECTIONS.filter((direction) => !management.some((selector) => basicLogs(selector, direction, EVERY_SOURCE)));
  if (missingDirections.length > 0) {
    return { outcome: 'fail', problem: `does not log ${andList(missingDirections.map(describeDirection))} management events (ReadWriteType must be All)` };
  }
  const excluded = [...new Set(management.flatMap((selector) => selector.excludeManagementEventSources ?? []))];
  if (definition.eventSources === 'any') {
    return { outcome: 'pass', warnings: excluded.length > 0 ? [exclusionWarning(excluded, definition)] : [] };
  }
  const blocked = definition.eventSources.filter((source) => DIRECTIONS.some((direction) => !management.some((selector) => basicLogs(selector, direction, source))));
  if (blocked.length > 0) return { outcome: 'fail', problem: `excludes management events from ${andList(blocked)}, where ${definition.subject} are recorded` };
  return { outcome: 'pass', warnings: [] };
}

function exclusionWarning(sources: readonly string[], definition: CheckDefinition): string {
  return `management events from ${andList(sources)} are excluded, so ${definition.subject} through ${sources.length > 1 ? 'those services' : 'that service'} go unseen`;
}

// ---- advanced selectors ----

const KNOWN_FIELDS = new Set(['eventCategory', 'readOnly', 'eventSource']);

/** Whether one field selector lets this value through (values within an operator are ORed, operators ANDed). */
function fieldAllows(field: AdvancedFieldSelector, value: string): boolean {
  return (
    (field.equals === undefined || field.equals.includes(value)) &&
    (field.startsWith === undefined || field.startsWith.some((prefix) => value.startsWith(prefix))) &&
    (field.endsWith === undefined || field.endsWith.some((suffix) => value.endsWith(suffix))) &&
    !(field.notEquals ?? []).includes(value) &&
    !(field.notStartsWith ?? []).some((prefix) => value.startsWith(prefix)) &&
    !(field.notEndsWith ?? []).some((suffix) => value.endsWith(suffix))
  );
}

function narrowsToSomeSources(field: AdvancedFieldSelector): boolean {
  return field.equals !== undefined || field.startsWith !== undefined || field.endsWith !== undefined;
}

type AdvancedMatch = 'logs' | 'skips' | 'maybe';

function advancedLogs(selector: AdvancedEventSelector, direction: Direction, source: Source): AdvancedMatch {
  const fields = selector.fieldSelectors;
  const category = fields.filter((field) => field.field === 'eventCategory');
  if (category.length === 0 || !category.every((field) => fieldAllows(field, 'Management'))) return 'skips';
  if (!fields.filter((field) => field.field === 'readOnly').every((field) => fieldAllows(field, direction === 'read' ? 'true' : 'false'))) return 'skips';
  const sourceFields = fields.filter((field) => field.field === 'eventSource');
  if (source === EVERY_SOURCE) {
    if (sourceFields.some(narrowsToSomeSources)) return 'skips';
  } else if (!sourceFields.every((field) => fieldAllows(field, source))) {
    return 'skips';
  }
  // A field trailwatch does not model may narrow the selection in ways it cannot see.
  return fields.every((field) => KNOWN_FIELDS.has(field.field)) ? 'logs' : 'maybe';
}

function advancedVerdict(selectors: readonly AdvancedEventSelector[], definition: CheckDefinition): SelectionVerdict {
  const sources: readonly Source[] = definition.eventSources === 'any' ? [EVERY_SOURCE] : definition.eventSources;
  const missing: string[] = [];
  let uncertain = false;
  for (const source of sources) {
    for (const direction of DIRECTIONS) {
      const matches = selectors.map((selector) => advancedLogs(selector, direction, source));
      if (matches.includes('logs')) continue;
      if (matches.includes('maybe')) uncertain = true;
      else missing.push(`${describeDirection(direction)} management events${source === EVERY_SOURCE ? '' : ` from ${source}`}`);
    }
  }
  if (missing.length > 0) return { outcome: 'fail', problem: `has advanced event selectors that do not log ${andList(missing)}` };
  if (uncertain) {
    return { outcome: 'unknown', problem: 'has advanced event selectors with fields other than eventCategory, readOnly and eventSource, so trailwatch cannot tell which management events it logs' };
  }
  if (definition.eventSources !== 'any') return { outcome: 'pass', warnings: [] };
  const excluded = [
    ...new Set(
      selectors
        .filter((selector) => DIRECTIONS.some((direction) => advancedLogs(selector, direction, EVERY_SOURCE) === 'logs'))
        .flatMap((selector) => selector.fieldSelectors.filter((field) => field.field === 'eventSource').flatMap((field) => [...(field.notEquals ?? []), ...(field.notStartsWith ?? []).map((prefix) => `${prefix}*`)])),
    ),
  ];
  return { outcome: 'pass', warnings: excluded.length > 0 ? [exclusionWarning(excluded, definition)] : [] };
}

/** The management-event verdict for a trail's selectors; `problem` completes "trail 'x' ...". */
export function managementEventsVerdict(
  selectors: { eventSelectors?: readonly BasicEventSelector[]; advancedEventSelectors?: readonly AdvancedEventSelector[] },
  definition: CheckDefinition,
): SelectionVerdict {
  if (selectors.advancedEventSelectors !== undefined && selectors.advancedEventSelectors.length > 0) {
    return advancedVerdict(selectors.advancedEventSelectors, definition);
  }
  return basicVerdict(selectors.eventSelectors ?? [], definition);
}
