import type { AccountSession, AwsClients } from '../../src/aws/clients';
import { AccountCredentials } from '../../src/discover';

export const MANAGEMENT = '123456789012';

/** Sessions into moto accounts through STS AssumeRole, as a scan gets them. */
export function sessions(clients: AwsClients): (accountId: string) => Promise<AccountSession> {
  const credentials = new AccountCredentials(clients, { callerAccountId: MANAGEMENT, roleName: 'trailwatch', region: 'us-east-1' });
  return (accountId) => credentials.sessionFor(accountId);
}
