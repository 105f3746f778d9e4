import { describeError, isAccountUnreachable, isNoAnswer, readErrorCode, toReadError } from '../../src/collect';
import { awsError } from '../discover/faults';

describe('readErrorCode', () => {
  it.each([
    ['AccessDeniedException', 400, 'AccessDenied'],
    ['AuthorizationError', 403, 'AccessDenied'],
    ['UnauthorizedOperation', 403, 'AccessDenied'],
    ['SomethingForbidden', 403, 'AccessDenied'],
    ['ThrottlingException', 400, 'Throttled'],
    ['Throttling', 400, 'Throttled'],
    ['TooManyRequestsException', 429, 'Throttled'],
    ['ResourceNotFoundException', 400, 'NotFound'],
    ['NotFound', 404, 'NotFound'],
    ['TrailNotFoundException', 400, 'NotFound'],
    ['OptInRequired', 403, 'NotEnabled'],
    ['TimeoutError', 0, 'Timeout'],
    ['InternalFailure', 500, 'Other'],
  ])('reads %s (HTTP %i) as %s', (name, status, code) => {
    expect(readErrorCode(awsError(name, status))).toBe(code);
  });
});

describe('isAccountUnreachable', () => {
  it('is true for credentials the account refuses and for an endpoint that does not answer', () => {
    expect(isAccountUnreachable(awsError('InvalidClientTokenId', 403))).toBe(true);
    expect(isAccountUnreachable(awsError('ExpiredToken', 400))).toBe(true);
    expect(isAccountUnreachable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('is false for a read the account refuses', () => {
    expect(isAccountUnreachable(awsError('AccessDeniedException', 400))).toBe(false);
    expect(isNoAnswer(awsError('InvalidClientTokenId', 403))).toBe(false);
  });
});

describe('toReadError', () => {
  it('keeps the AWS error name and the first line of its message', () => {
    expect(toReadError('topic', awsError('AuthorizationError', 403, 'not allowed\nmore'), { resource: 'arn:aws:sns:us-east-1:1:t', region: 'us-east-1' })).toEqual({
      scope: 'topic',
      resource: 'arn:aws:sns:us-east-1:1:t',
      region: 'us-east-1',
      code: 'AccessDenied',
      message: 'AuthorizationError: not allowed',
    });
  });

  it('describes a plain socket error by its message alone', () => {
    expect(describeError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('socket hang up');
  });
});
