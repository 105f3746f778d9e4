/**
 * The approval link's signing secret: a Secrets Manager secret the stack generates
 * (AWS::SecretsManager::Secret GenerateSecretString), read at every use so that changing it
 * invalidates every link at once. Never logged, never put in a message.
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../aws/clients';
import { TrailwatchError } from '../errors';
import { MIN_SECRET_LENGTH, SECRET_ARN } from './approval-link';

export async function readLinkSecret(clients: AwsClients, secretArn: string, signal?: AbortSignal): Promise<string> {
  const [, region, accountId] = SECRET_ARN.exec(secretArn) ?? [];
  if (!region || !accountId) throw new TrailwatchError(`'${secretArn.slice(0, 200)}' is not a Secrets Manager secret ARN`);
  let secret: string | undefined;
  try {
    ({ SecretString: secret } = await clients.secretsManager({ accountId }, region).send(new GetSecretValueCommand({ SecretId: secretArn }), signal ? { abortSignal: signal } : {}));
  } catch (error) {
    throw new TrailwatchError(`could not read the approval link secret ${secretArn}: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
  }
  if (!secret || secret.length < MIN_SECRET_LENGTH) {
    throw new TrailwatchError(`the approval link secret ${secretArn} holds fewer than ${MIN_SECRET_LENGTH} characters: links signed with it could be forged`);
  }
  return secret;
}
