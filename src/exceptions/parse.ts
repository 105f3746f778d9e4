/**
 * An exceptions file (YAML or JSON) -> checked rules. Pure: text and the current time in, rules
 * out, or an ExceptionsFileError naming every wrong entry and field. Parsed with YAML's failsafe
 * schema, so every scalar stays the string the person wrote: an account ID keeps its leading
 * zero and a date stays a date, never a number or a timestamp.
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { CHECK_SLUGS, type CheckSlug } from '../controls/types';
import { ExceptionsFileError } from './errors';
import { EXCEPTION_KINDS, type ExceptionRule, type ExceptionRules } from './types';

const ACCOUNT_ID = /^\d{12}$/;
const OU_OR_ROOT = /^(?:ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ID = /^[\w.:/-]{1,64}$/;

export const ENTRY_FIELDS = ['id', 'accounts', 'ous', 'regions', 'checks', 'reason', 'approvedBy', 'expires', 'kind'] as const;

/** An expiry may be at most this far ahead: accepted risk is looked at again at least once a year. */
export const MAX_EXCEPTION_MONTHS = 12;

const quoted = (input: unknown): string => (typeof input === 'string' ? `'${input}'` : (JSON.stringify(input) ?? String(input)));

function listOf(pattern: RegExp, what: string, example: string) {
  return z
    .array(
      z.string({ error: (issue) => `${quoted(issue.input)} is not ${what} (e.g. ${example})` }).regex(pattern, {
        error: (issue) => `${quoted(issue.input)} is not ${what} (e.g. ${example})`,
      }),
      { error: (issue) => `expected a list of ${what}s, got ${quoted(issue.input)}` },
    )
    .min(1, { error: `an empty list matches nothing: leave the field out` });
}

const text = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `required: ${what}` : `expected text: ${what}`) })
    .trim()
    .min(1, { error: `required: ${what}` })
    .max(1000, { error: 'at most 1000 characters' });

/** YYYY-MM-DD that is a real day. */
function isRealDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The last day an expiry may name, `MAX_EXCEPTION_MONTHS` after `now` (UTC). */
export function latestExpiry(now: Date): string {
  const limit = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + MAX_EXCEPTION_MONTHS, now.getUTCDate()));
  // 29 February plus a year is 1 March: keep the last day of February instead.
  if (limit.getUTCDate() !== now.getUTCDate()) limit.setUTCDate(0);
  return limit.toISOString().slice(0, 10);
}

const checkList = z
  .array(z.enum(CHECK_SLUGS, { error: (issue) => `${quoted(issue.input)} is not a check (one of ${CHECK_SLUGS.join(', ')})` }))
  .min(1, { error: 'an empty list matches nothing: name checks or write all' });

/** `all`, or a list of checks whose wrong items are named one by one. */
const checksSchema = z.unknown().transform((value, ctx): 'all' | CheckSlug[] => {
  if (value === 'all') return 'all';
  if (Array.isArray(value)) {
    const parsed = checkList.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }
  ctx.addIssue({ code: 'custom', message: value === undefined ? 'required: the checks it covers, or all' : `expected all or a list of checks, got ${quoted(value)}` });
  return z.NEVER;
});

function entrySchema(now: Date) {
  const latest = latestExpiry(now);
  return z
    .strictObject({
      id: z.string({ error: 'expected a short name' }).regex(ID, { error: 'a short name: letters, digits and _ . : / -, at most 64' }).optional(),
      accounts: listOf(ACCOUNT_ID, 'a 12-digit account ID', "'123456789012'").optional(),
      ous: listOf(OU_OR_ROOT, 'an organizational unit or root ID', 'ou-ab12-cd34ef56').optional(),
      regions: listOf(REGION, 'a region name', 'eu-west-1').optional(),
      checks: checksSchema,
      reason: text('why the risk is accepted'),
      approvedBy: text('who accepted the risk'),
      expires: z
        .string({ error: (issue) => (issue.input === undefined ? 'required: the last day it applies (YYYY-MM-DD)' : 'expected a date (YYYY-MM-DD)') })
        .refine(isRealDate, { error: (issue) => `${quoted(issue.input)} is not a date (YYYY-MM-DD)`, abort: true })
        .refine((value) => value <= latest, {
          error: (issue) => `${quoted(issue.input)} is more than a year ahead: accepted risk is reviewed at least yearly (at most ${latest})`,
        }),
      kind: z.enum(EXCEPTION_KINDS, { error: (issue) => `${quoted(issue.input)} is not a kind (${EXCEPTION_KINDS.join(', ')})` }).optional(),
    })
    .superRefine((entry, ctx) => {
      if (!entry.accounts && !entry.ous) ctx.addIssue({ code: 'custom', path: ['accounts'], message: 'required: accounts or ous (or both)' });
      for (const field of ['accounts', 'ous', 'regions', 'checks'] as const) {
        const values = entry[field];
        if (!Array.isArray(values)) continue;
        const seen = new Set<string>();
        values.forEach((value, index) => {
          if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [field, index], message: `${quoted(value)} is listed twice` });
          seen.add(value);
        });
      }
    });
}

function fileSchema(now: Date) {
  return z.strictObject(
    {
      exceptions: z.array(entrySchema(now), {
        error: (issue) => (issue.input === undefined ? 'required: the list of exceptions' : 'expected a list of exceptions'),
      }),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'expected a mapping with one key, exceptions: a list of entries' : undefined) },
  );
}

/** At most this many problems are named in one message. */
const MAX_PROBLEMS = 10;

/**
 * Reads an exceptions file. `now` decides what "a year ahead" is. Throws ExceptionsFileError
 * naming every wrong entry (1-based) and field; the error's entry and field are the first one's.
 */
export function parseExceptions(fileText: string, options: { now: Date; source?: string }): ExceptionRules {
  const where = options.source ? `exceptions file ${options.source}` : 'exceptions file';
  const document = parseDocument(fileText, { schema: 'failsafe', uniqueKeys: true, prettyErrors: true });
  const [yamlError] = document.errors;
  if (yamlError) {
    const line = yamlError.linePos?.[0];
    const at = line ? ` (line ${line.line}, column ${line.col})` : '';
    throw new ExceptionsFileError(`${where} is not YAML or JSON${at}: ${yamlError.message.split('\n')[0]}`, undefined, undefined, { cause: yamlError });
  }
  const data: unknown = document.toJS();
  const parsed = fileSchema(options.now).safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, data));
    const [first] = problems;
    const more = problems.length > MAX_PROBLEMS ? `; and ${problems.length - MAX_PROBLEMS} more` : '';
    throw new ExceptionsFileError(
      `${where}: ${problems.slice(0, MAX_PROBLEMS).map((p) => p.text).join('; ')}${more}`,
      first?.entry,
      first?.field,
    );
  }
  const entries = parsed.data.exceptions;
  const ids = new Map<string, number>();
  const rules: ExceptionRule[] = entries.map((entry, index) => {
    const number = index + 1;
    if (entry.id) {
      const earlier = ids.get(entry.id);
      if (earlier !== undefined) {
        throw new ExceptionsFileError(`${where}: entry ${number}, id: '${entry.id}' is already the id of entry ${earlier}`, number, 'id');
      }
      ids.set(entry.id, number);
    }
    return {
      entry: number,
      ...(entry.id ? { id: entry.id } : {}),
      accounts: entry.accounts ?? [],
      ous: entry.ous ?? [],
      ...(entry.regions ? { regions: entry.regions } : {}),
      checks: entry.checks,
      reason: entry.reason,
      approvedBy: entry.approvedBy,
      expires: entry.expires,
      ...(entry.kind ? { kind: entry.kind } : {}),
    };
  });
  return { ...(options.source ? { source: options.source } : {}), rules };
}

interface Problem {
  readonly text: string;
  readonly entry?: number;
  readonly field?: string;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): Problem[] {
  const [top, index, ...rest] = issue.path;
  if (top !== 'exceptions' || typeof index !== 'number') {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ text: `unknown top-level key '${key}' (the file has one key, exceptions)` }));
    }
    return [{ text: top === 'exceptions' ? `exceptions: ${issue.message}` : issue.message }];
  }
  const entry = index + 1;
  const label = entryLabel(entry, data);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ text: `${label}: unknown field '${key}' (expected ${ENTRY_FIELDS.join(', ')})`, entry, field: key }));
  }
  if (rest.length === 0) return [{ text: `${label}: expected a mapping with ${ENTRY_FIELDS.join(', ')}`, entry }];
  const field = fieldPath(rest);
  return [{ text: `${label}, ${field}: ${issue.message}`, entry, field }];
}

/** "entry 3" or "entry 3 ('eu-sandbox')" when it has an id. */
function entryLabel(entry: number, data: unknown): string {
  const list = (data as { exceptions?: unknown } | null)?.exceptions;
  const item = Array.isArray(list) ? (list[entry - 1] as { id?: unknown } | undefined) : undefined;
  return typeof item?.id === 'string' && item.id.length <= 64 ? `entry ${entry} ('${item.id}')` : `entry ${entry}`;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

/** The entry in words for reports: "entry 3 ('eu-sandbox')". */
export function describeEntry(rule: { readonly entry: number; readonly id?: string }): string {
  return rule.id ? `entry ${rule.entry} ('${rule.id}')` : `entry ${rule.entry}`;
}
