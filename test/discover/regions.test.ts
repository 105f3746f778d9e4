import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsClients } from '../../src/aws/clients';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { enabledRegions } from '../../src/discover';
import { motoClients, useMoto } from '../support/moto';
import { awsError, failWhen } from './faults';

const CALLER = { accountId: '123456789012' };
const MEMBER = { accountId: '111111111111' };

describe('enabledRegions against moto (no account:ListRegions there)', () => {
  useMoto();
  let clients: AwsClients;
  afterEach(() => clients.destroy());

  it('falls back to ec2:DescribeRegions; moto\'s bare 404 says the endpoint has no Account API, so the next account goes straight there', async () => {
    // Prepare
    clients = motoClients();
    // Act
    const first = await enabledRegions(clients, CALLER);
    const second = await enabledRegions(clients, MEMBER);
    // Assess
    expect(first.source).toBe('ec2:DescribeRegions');
    expect(first.regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1']));
    expect(first.regions).toEqual([...first.regions].sort());
    expect(first.regions).not.toContain('ap-east-1'); // moto marks it not-opted-in
    expect(second.regions).toEqual(first.regions);
    expect(clients.callCounter.forAccount(CALLER.accountId)).toEqual({ 'Account:ListRegions': 1, 'EC2:DescribeRegions': 1 });
    expect(clients.callCounter.forAccount(MEMBER.accountId)).toEqual({ 'EC2:DescribeRegions': 1 });
  });

  it('skips a selected region the account has not enabled, with a note and no error', async () => {
    // Prepare
    clients = motoClients();
    // Act
    const scope = await enabledRegions(clients, CALLER, { selected: ['eu-west-1', 'ap-east-1', 'us-east-1'] });
    // Assess
    expect(scope).toEqual({
      accountId: CALLER.accountId,
      regions: ['eu-west-1', 'us-east-1'],
      notEnabled: ['ap-east-1'],
      source: 'ec2:DescribeRegions',
      notes: ['region ap-east-1 is not enabled for account 123456789012: skipped'],
    });
  });

  it('reports a regions read error, keeping the selection, when neither API answers (injected AccessDenied)', async () => {
    // Prepare
    clients = motoClients({
      attemptHooks: [failWhen((info) => info.operation === 'DescribeRegions', () => awsError('UnauthorizedOperation', 403, 'You are not authorized'))],
    });
    // Act
    const scope = await enabledRegions(clients, MEMBER, { selected: ['us-east-1'] });
    // Assess
    expect(scope.regions).toEqual(['us-east-1']);
    expect(scope.source).toBe('unknown');
    expect(scope.readError).toEqual({
      scope: 'regions',
      region: 'us-east-1',
      code: 'AccessDenied',
      message: 'UnauthorizedOperation: You are not authorized',
    });
    expect(scope.notes).toEqual(['could not list the regions enabled for account 111111111111 (UnauthorizedOperation: You are not authorized)']);
  });
});

describe('enabledRegions where account:ListRegions answers', () => {
  let server: Server;
  let endpoint: string;
  const requests: Record<string, unknown>[] = [];

  // A loopback stand-in for the Account API (moto has none): two pages of regions. It answers
  // ec2:DescribeRegions too (us-east-1 and eu-west-1), for the accounts that fall back to it.
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        if (request.url !== '/listRegions') {
          requests.push({ path: request.url, action: new URLSearchParams(body).get('Action') });
          const item = (name: string) => `<item><regionName>${name}</regionName><regionEndpoint>ec2.${name}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>`;
          response.writeHead(200, { 'content-type': 'text/xml' });
          response.end(`<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><regionInfo>${item('us-east-1')}${item('eu-west-1')}</regionInfo></DescribeRegionsResponse>`);
          return;
        }
        const input = JSON.parse(body || '{}') as { NextToken?: string };
        requests.push({ path: request.url, ...input });
        const page = input.NextToken
          ? { Regions: [{ RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }, { RegionName: 'af-south-1', RegionOptStatus: 'ENABLED' }] }
          : { Regions: [{ RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }], NextToken: 'page-2' };
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(page));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    requests.length = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads every page of ENABLED and ENABLED_BY_DEFAULT regions in one call per page', async () => {
    // Prepare
    const clients = new AwsClients({ endpointUrl: endpoint, credentials: MOTO_CREDENTIALS });
    // Act
    const scope = await enabledRegions(clients, MEMBER, { selected: ['af-south-1', 'eu-west-1', 'ap-east-1'] });
    // Assess
    expect(requests).toEqual([
      { path: '/listRegions', RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50 },
      { path: '/listRegions', RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50, NextToken: 'page-2' },
    ]);
    expect(scope).toMatchObject({ source: 'account:ListRegions', regions: ['af-south-1', 'eu-west-1'], notEnabled: ['ap-east-1'] });
    expect(clients.callCounter.forAccount(MEMBER.accountId)).toEqual({ 'Account:ListRegions': 2 });
    clients.destroy();
  });

  it('decides the fallback per account: one account refusing ListRegions changes nothing for the others (injected AccessDenied)', async () => {
    // Prepare: the member's role (or an SCP) denies account:ListRegions; the caller's and a third account's do not.
    const OTHER = { accountId: '222222222222' };
    const clients = new AwsClients({
      endpointUrl: endpoint,
      credentials: MOTO_CREDENTIALS,
      attemptHooks: [
        failWhen(
          (info) => info.operation === 'ListRegions' && info.accountId === MEMBER.accountId,
          () => awsError('AccessDeniedException', 403, 'not authorized to perform account:ListRegions'),
        ),
      ],
    });
    // Act
    const member = await enabledRegions(clients, MEMBER);
    const other = await enabledRegions(clients, OTHER);
    const caller = await enabledRegions(clients, CALLER);
    const memberAgain = await enabledRegions(clients, MEMBER);
    // Assess
    expect(member).toMatchObject({ source: 'ec2:DescribeRegions', regions: ['eu-west-1', 'us-east-1'] });
    expect(member.readError).toBeUndefined();
    expect(other).toMatchObject({ source: 'account:ListRegions', regions: ['af-south-1', 'eu-west-1', 'us-east-1'] });
    expect(caller).toMatchObject({ source: 'account:ListRegions', regions: ['af-south-1', 'eu-west-1', 'us-east-1'] });
    expect(memberAgain).toMatchObject({ source: 'ec2:DescribeRegions', regions: ['eu-west-1', 'us-east-1'] });
    expect(clients.callCounter.forAccount(MEMBER.accountId)).toEqual({ 'Account:ListRegions': 1, 'EC2:DescribeRegions': 2 });
    expect(clients.callCounter.forAccount(OTHER.accountId)).toEqual({ 'Account:ListRegions': 2 });
    expect(clients.callCounter.forAccount(CALLER.accountId)).toEqual({ 'Account:ListRegions': 2 });
    clients.destroy();
  });

  it('tries ListRegions again for an account it throttled: a throttle is no refusal', async () => {
    // Prepare: ListRegions throttles every attempt for the member (injected), so the SDK gives up after its retries.
    const clients = new AwsClients({
      endpointUrl: endpoint,
      credentials: MOTO_CREDENTIALS,
      maxAttempts: 1,
      attemptHooks: [
        failWhen(
          (info) => info.operation === 'ListRegions' && info.accountId === MEMBER.accountId && requests.filter((r) => r.action === 'DescribeRegions').length === 0,
          () => awsError('ThrottlingException', 400, 'Rate exceeded'),
        ),
      ],
    });
    // Act
    const first = await enabledRegions(clients, MEMBER);
    const second = await enabledRegions(clients, MEMBER);
    // Assess
    expect(first.source).toBe('ec2:DescribeRegions');
    expect(second.source).toBe('account:ListRegions');
    clients.destroy();
  });
});
