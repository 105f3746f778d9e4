import { readAccount } from '../../src/collect';
import { seedChain, seedTrail } from '../../src/demo';
import { AccountAccessError, AccountCredentials } from '../../src/discover';
import { awsError, failWhen } from '../discover/faults';
import { motoClients, useMoto } from '../support/moto';
import { MANAGEMENT, sessions } from './helpers';

const REACHABLE = '111111111111';
const DENIED = '222222222222';

describe('readAccount', () => {
  useMoto();

  it('reads one account while another refuses AssumeRole (injected: moto never refuses)', async () => {
    // Prepare
    const seeder = motoClients();
    const member = await sessions(seeder)(REACHABLE);
    await seedTrail(seeder, member, { name: 'trail', homeRegion: 'eu-west-1', logGroupName: 'cloudtrail' });
    await seedChain(seeder, member, 'eu-west-1', { logGroupName: 'cloudtrail', checks: ['root_usage'] });
    seeder.destroy();
    const clients = motoClients({
      attemptHooks: [failWhen((info) => info.operation === 'AssumeRole' && info.accountId === DENIED, () => awsError('AccessDenied', 403, 'not authorized'))],
    });
    const credentials = new AccountCredentials(clients, { callerAccountId: MANAGEMENT, roleName: 'trailwatch', region: 'us-east-1' });
    // Act
    const [reachable, denied] = await Promise.allSettled([
      readAccount(clients, credentials, REACHABLE, { regions: ['us-east-1', 'eu-west-1', 'ap-east-1'] }),
      readAccount(clients, credentials, DENIED, { regions: ['us-east-1', 'eu-west-1'] }),
    ]);
    // Assess
    expect(reachable.status).toBe('fulfilled');
    const inventory = reachable.status === 'fulfilled' ? reachable.value : undefined;
    expect(inventory).toMatchObject({ accountId: REACHABLE, regions: ['us-east-1', 'eu-west-1'], regionsNotEnabled: ['ap-east-1'], readErrors: [] });
    expect(inventory?.alarms['eu-west-1']).toHaveLength(1);
    expect(denied.status === 'rejected' ? denied.reason : undefined).toBeInstanceOf(AccountAccessError);
    expect(denied.status === 'rejected' ? denied.reason : undefined).toMatchObject({ accountId: DENIED, code: 'AccessDenied' });
    expect(clients.callCounter.forAccount(DENIED)).toEqual({ 'STS:AssumeRole': 1 });
    clients.destroy();
  });
});
