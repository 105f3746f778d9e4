/** Exceptions (accepted risk): a file of rules, applied to the findings after evaluation, before any report. Pure. */
export { parseExceptions, describeEntry, latestExpiry, ENTRY_FIELDS, MAX_EXCEPTION_MONTHS } from './parse';
export { applyExceptions, exceptReport, matches, inForce, dayOf } from './apply';
export type { ExceptionContext, ExceptedFindings } from './apply';
export { ExceptionsFileError } from './errors';
export { EXCEPTION_KINDS } from './types';
export type { ExceptionKind, ExceptionRule, ExceptionRules, FindingException, ExceptionsOutcome, ExceptionEntryRef } from './types';
