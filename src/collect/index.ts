/** Collection: one account's inventory, read with the fewest calls. */
export { collectAccount } from './account';
export { readAccount } from './read-account';
export type { ReadAccountOptions } from './read-account';
export type { CollectOptions } from './types';
export { readErrorCode, isAccountUnreachable, isNoAnswer, describeError, toReadError } from './read-errors';
export { parseArn, parseLogGroupArn, parseTopicArn } from '../arn';
export * from './inventory';
