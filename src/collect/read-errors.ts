/**
 * What an AWS error means for the scan: a `ReadError` code for one unreadable item, or an
 * account that cannot be reached at all (bad credentials, no answer). Shared by collect and discover.
 */
import type { ReadError, ReadErrorCode } from './inventory';

interface AwsErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
  'AuthorizationErrorException',
  'NotAuthorized',
]);

const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

const NOT_FOUND = new Set([
  'NotFound',
  'NotFoundException',
  'ResourceNotFoundException',
  'TrailNotFoundException',
  'NoSuchEntity',
  'NoSuchEntityException',
  // SQS (the doctor's look at a queue).
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
]);

const NOT_ENABLED = new Set(['OptInRequired', 'RegionDisabledException', 'InvalidRegion']);

const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** Credentials that AWS does not accept: nothing in the account can be read with them. */
const BAD_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'CredentialsProviderError',
]);

/** The endpoint did not answer at all. */
const NO_ANSWER = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function errorName(error: unknown): string {
  const e = (error ?? {}) as AwsErrorShape;
  return e.name ?? e.code ?? 'Error';
}

function errorCode(error: unknown): string | undefined {
  return ((error ?? {}) as AwsErrorShape).code;
}

function httpStatus(error: unknown): number | undefined {
  const e = (error ?? {}) as AwsErrorShape;
  return e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
}

export function readErrorCode(error: unknown): ReadErrorCode {
  const name = errorName(error);
  const code = errorCode(error);
  const has = (set: Set<string>) => set.has(name) || (code !== undefined && set.has(code));
  if (has(ACCESS_DENIED)) return 'AccessDenied';
  if (has(THROTTLED)) return 'Throttled';
  if (has(NOT_FOUND)) return 'NotFound';
  if (has(NOT_ENABLED)) return 'NotEnabled';
  if (has(TIMEOUT)) return 'Timeout';
  const status = httpStatus(error);
  if (status === 403) return 'AccessDenied';
  if (status === 429) return 'Throttled';
  return 'Other';
}

/** True when the error says the whole account is out of reach (credentials refused, endpoint silent). */
export function isAccountUnreachable(error: unknown): boolean {
  const name = errorName(error);
  const code = errorCode(error);
  return BAD_CREDENTIALS.has(name) || (code !== undefined && BAD_CREDENTIALS.has(code)) || isNoAnswer(error);
}

const NO_ANSWER_IN_MESSAGE = /\b(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b/;

/** True when the endpoint did not answer at all (nothing listening, no route, no DNS). */
export function isNoAnswer(error: unknown): boolean {
  const name = errorName(error);
  const code = errorCode(error);
  if (NO_ANSWER.has(name) || (code !== undefined && NO_ANSWER.has(code))) return true;
  // The SDK turns a socket error it cannot recognise as an Error (another realm) into text.
  return name === 'Error' && NO_ANSWER_IN_MESSAGE.test(((error ?? {}) as AwsErrorShape).message ?? '');
}

/** True when the caller gave up on purpose (deadline, abort signal): never recorded as a read error. */
export function isAbort(error: unknown): boolean {
  return errorName(error) === 'AbortError';
}

/** "ThrottlingException: Rate exceeded" — the AWS error name and its message, on one line. */
export function describeError(error: unknown): string {
  const name = errorName(error);
  const message = ((error ?? {}) as AwsErrorShape).message
    ?.split('\n')[0]
    ?.replace(/^AWS SDK error wrapper for (Error: )?/, '')
    .trim();
  if (!message || message === name) return name;
  // A plain Error (e.g. a socket error) says more by its message than by its name.
  return name === 'Error' ? message : `${name}: ${message}`;
}

export function toReadError(scope: ReadError['scope'], error: unknown, where: { resource?: string; region?: string } = {}): ReadError {
  return {
    scope,
    ...(where.resource !== undefined ? { resource: where.resource } : {}),
    ...(where.region !== undefined ? { region: where.region } : {}),
    code: readErrorCode(error),
    message: describeError(error),
  };
}
