/**
 * The Lambda's exceptions file, read at every invocation from where the settings say (an S3
 * object or an SSM parameter), so a change applies to the next scan without a deployment.
 * A file that cannot be read or parsed stops the invocation before anything is scanned.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients';
import type { ExceptionsLocation } from '../config';
import { ExceptionsFileError, parseExceptions, type ExceptionRules } from '../exceptions';

/** The scanner's own account: the file is read with the function's credentials. */
const OWN = { accountId: 'scanner' };

export function describeLocation(location: ExceptionsLocation): string {
  return location.kind === 's3' ? `s3://${location.bucket}/${location.key}` : `ssm:${location.name}`;
}

export async function readExceptions(
  clients: AwsClients,
  location: ExceptionsLocation,
  options: { region: string; now: Date; signal?: AbortSignal },
): Promise<ExceptionRules> {
  const source = describeLocation(location);
  let text: string;
  try {
    if (location.kind === 's3') {
      const object = await clients
        .s3(OWN, options.region)
        .send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }), { abortSignal: options.signal });
      text = (await object.Body?.transformToString('utf-8')) ?? '';
    } else {
      const { Parameter } = await clients
        .ssm(OWN, options.region)
        .send(new GetParameterCommand({ Name: location.name, WithDecryption: true }), { abortSignal: options.signal });
      text = Parameter?.Value ?? '';
    }
  } catch (error) {
    const name = (error as Error)?.name;
    throw new ExceptionsFileError(`cannot read the exceptions file ${source}: ${name && name !== 'Error' ? `${name}: ` : ''}${(error as Error).message}`, undefined, undefined, {
      cause: error,
    });
  }
  return parseExceptions(text, { now: options.now, source });
}
