/** Failures injected into the real SDK clients (attempt hooks), for what moto cannot refuse. */
import type { AttemptHook, CallInfo } from '../../src/aws/clients';

export function awsError(name: string, httpStatusCode: number, message = name): Error {
  return Object.assign(new Error(message), { name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } });
}

/** Throws `error()` on every attempt of the calls `when` selects. */
export function failWhen(when: (info: CallInfo) => boolean, error: () => Error): AttemptHook {
  return (info) => {
    if (when(info)) throw error();
  };
}
