/** How a finding shows on the page: its status, or EXCEPTED when an exception covers its FAIL or ERROR. */
import type { Finding } from '../../evaluate/types';

export const CellStatus = { PASS: 'PASS', FAIL: 'FAIL', ERROR: 'ERROR', EXCEPTED: 'EXCEPTED' } as const;
export type CellStatusValue = (typeof CellStatus)[keyof typeof CellStatus];

/** The letter in a matrix cell: never colour alone. */
export const STATUS_LETTER: Record<CellStatusValue, string> = { PASS: 'P', FAIL: 'F', ERROR: 'E', EXCEPTED: 'X' };

/** Accepted risk on a finding (src/exceptions sets it on a FAIL or ERROR finding). */
export interface ExceptionInfo {
  readonly reason?: string;
  readonly approvedBy?: string;
  readonly expires?: string;
}

/** The finding's exception, when it carries one (read loosely: the page also renders reports written by other versions). */
export function exceptionOf(finding: Pick<Finding, 'status'>): ExceptionInfo | undefined {
  const exception = (finding as { exception?: unknown }).exception;
  if (finding.status === 'PASS' || typeof exception !== 'object' || exception === null) return undefined;
  return exception as ExceptionInfo;
}

export function cellStatus(finding: Pick<Finding, 'status'>): CellStatusValue {
  return exceptionOf(finding) ? CellStatus.EXCEPTED : finding.status;
}
