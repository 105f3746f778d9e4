export { ConfigurationError, PayloadError } from './errors';
export type { FieldIssue } from './errors';
export { ENVIRONMENT_VARIABLES, PAYLOAD_FIELDS, loadLambdaSettings, parseScanEvent } from './lambda';
export type { ExceptionsLocation, LambdaSettings, ScanPayload, Trigger } from './lambda';
