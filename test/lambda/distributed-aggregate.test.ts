/**
 * The aggregate's reading of a saved run (src/lambda/distributed-aggregate.ts), on an in-memory
 * bucket: the batches are checked up front, their inventories read back one batch at a time as
 * runScan's collect step asks for them, each handed out once. The whole state machine on moto is
 * test/lambda/distributed.moto.test.ts's.
 */
import { AwsClients } from '../../src/aws/clients';
import { loadLambdaSettings } from '../../src/config';
import { readSavedRun, savedRunSteps, SavedInventories } from '../../src/lambda/distributed-aggregate';
import { runStoreOf } from '../../src/lambda/distributed-discover';
import { runKeys, serializeBatch, type RunStore } from '../../src/lambda/distributed-run';
import type { AccountInventory } from '../../src/collect/inventory';
import type { ScanOptions } from '../../src/scan';
import { inventory } from '../evaluate/builders';

/** The bucket as RunStore uses it, counting reads per key. */
function memoryStore(files: Record<string, string>): { store: RunStore; gets: string[] } {
  const gets: string[] = [];
  const store = {
    bucket: 'reports',
    async get(key: string) {
      gets.push(key);
      const text = files[key];
      if (text === undefined) throw new Error(`NoSuchKey: ${key}`);
      return text;
    },
    async list(prefix: string) {
      return Object.keys(files).filter((key) => key.startsWith(prefix)).sort();
    },
    async put(key: string, body: string) {
      files[key] = body;
    },
  };
  return { store: store as unknown as RunStore, gets };
}

const RUN = 'run-1';
const KEYS = runKeys('trailwatch/', RUN);
const id = (n: number) => String(100000000000 + n);

/** A run of `batches` batches of `size` accounts, all collected. */
function savedRunFiles(batches: number, size: number): { files: Record<string, string>; accounts: string[] } {
  const accounts = Array.from({ length: batches * size }, (_, i) => id(i));
  const files: Record<string, string> = {
    [KEYS.discovery]: JSON.stringify({ formatVersion: 1, runId: RUN, startedAt: '2026-01-01T00:00:00.000Z', event: {}, skipped: [], callerAccountId: id(0), notes: [], apiCalls: {} }),
    [KEYS.accounts]: JSON.stringify(accounts.map((accountId) => ({ accountId }))),
  };
  for (let b = 0; b < batches; b += 1) {
    const ids = accounts.slice(b * size, (b + 1) * size);
    const inventories: AccountInventory[] = ids.map((accountId) => inventory({ accountId, regions: ['us-east-1'] }));
    files[`${KEYS.batches}${ids[0]}.json`] = serializeBatch({ inventories, notCollected: [], apiCalls: { [ids[0] as string]: { 'STS:AssumeRole': 1 } } });
  }
  return { files, accounts };
}

describe('readSavedRun', () => {
  it('checks every batch and keeps which accounts it holds, not their inventories', async () => {
    // Prepare: 3 batches of 2
    const { files, accounts } = savedRunFiles(3, 2);
    const { store, gets } = memoryStore(files);
    // Act
    const saved = await readSavedRun(store, 'trailwatch/', RUN, undefined);
    // Assess: each file read once; the inventories are read again only when taken
    expect(gets).toHaveLength(2 + 3);
    expect(saved.inventories.size).toBe(6);
    expect(accounts.every((accountId) => saved.inventories.has(accountId))).toBe(true);
    expect(saved.notCollected.size).toBe(0);
    expect(saved.apiCalls).toHaveLength(4);
  });

  it('fails, naming the file, when a batch file does not parse', async () => {
    const { files } = savedRunFiles(2, 2);
    files[`${KEYS.batches}${id(2)}.json`] = '{"formatVersion": 1, "inventories": [';
    const { store } = memoryStore(files);

    await expect(readSavedRun(store, 'trailwatch/', RUN, undefined)).rejects.toThrow(`batch file ${KEYS.batches}${id(2)}.json cannot be read`);
  });

  it('makes an account no batch holds ERROR with the reason, and hands out the others', async () => {
    // Prepare: the run names an account its batches do not hold
    const { files, accounts } = savedRunFiles(1, 2);
    files[KEYS.accounts] = JSON.stringify([...accounts, id(99)].map((accountId) => ({ accountId })));
    const { store } = memoryStore(files);
    const steps = savedRunSteps(await readSavedRun(store, 'trailwatch/', RUN, undefined));
    const options = {} as ScanOptions;
    const signal = new AbortController().signal;
    // Act / Assess
    await expect(steps.collect({ accountId: id(0) }, options, signal)).resolves.toMatchObject({ accountId: id(0) });
    await expect(steps.collect({ accountId: id(99) }, options, signal)).rejects.toThrow('not scanned: its batch left no result');
  });

  it('says why when a member Discover left to the organization trail is asked for after all (the owner\'s chain changed during the run)', async () => {
    // Prepare: Discover found the trail of id(0) settled every check for id(98) and id(99), and the Map had nothing to collect
    const { files, accounts } = savedRunFiles(1, 2);
    files[KEYS.accounts] = JSON.stringify([...accounts, id(98), id(99)].map((accountId) => ({ accountId })));
    const discovery = JSON.parse(files[KEYS.discovery] as string) as Record<string, unknown>;
    files[KEYS.discovery] = JSON.stringify({ ...discovery, judgedThroughOrganization: { owner: id(0), members: [id(98), id(99)] } });
    const { store } = memoryStore(files);
    const saved = await readSavedRun(store, 'trailwatch/', RUN, { NothingToCollect: true });
    const steps = savedRunSteps(saved);
    // Act / Assess
    await expect(steps.collect({ accountId: id(98) }, {} as ScanOptions, new AbortController().signal)).rejects.toThrow(
      `not read: when the run started, the organization trail of account ${id(0)} settled every check for this member, and when the run was judged it no longer did`,
    );
    expect(saved.notCollected.size).toBe(2);
  });
});

describe('SavedInventories', () => {
  it('reads each batch once when its accounts are taken in order, and hands each inventory out once', async () => {
    // Prepare
    const { files, accounts } = savedRunFiles(4, 3);
    const { store, gets } = memoryStore(files);
    const saved = await readSavedRun(store, 'trailwatch/', RUN, undefined);
    gets.length = 0;
    // Act
    const taken = [];
    for (const accountId of accounts) taken.push(await saved.inventories.take(accountId));
    // Assess
    expect(taken.map((inv) => inv?.accountId)).toEqual(accounts);
    expect(gets).toEqual([0, 3, 6, 9].map((n) => `${KEYS.batches}${id(n)}.json`));
    await expect(saved.inventories.take(id(0))).rejects.toThrow(`the inventory of account ${id(0)} was asked for twice`);
    expect(await saved.inventories.take(id(500))).toBeUndefined();
  });

  it('holds at most two batches: a batch let go is read again for its accounts still to come', async () => {
    // Prepare: accounts taken across three batches in turn
    const { files } = savedRunFiles(3, 2);
    const { store, gets } = memoryStore(files);
    const inventories = new SavedInventories(store, new Map([0, 1, 2, 3, 4, 5].map((n) => [id(n), `${KEYS.batches}${id(n - (n % 2))}.json`])));
    // Act
    for (const n of [0, 2, 4, 1, 3, 5]) expect((await inventories.take(id(n)))?.accountId).toBe(id(n));
    // Assess: batch 0 was let go when batch 4 came and read again for account 1 (without account 0), which let batch 2 go, read again for account 3
    expect(gets).toEqual([0, 2, 4, 0, 2].map((n) => `${KEYS.batches}${id(n)}.json`));
  });
});

describe('runStoreOf', () => {
  const env = { FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:findings', REPORT_BUCKET: 'reports', AWS_REGION: 'us-east-1', MEMBER_ROLE_NAME: 'OrganizationAccountAccessRole' };
  const clients = new AwsClients({ endpointUrl: 'http://127.0.0.1:1' });
  afterAll(() => clients.destroy());

  it('keeps the run under trailwatch/distributed/, which the state machine role may read', () => {
    expect(runStoreOf(loadLambdaSettings(env), clients).prefix).toBe('trailwatch/');
  });

  it("keeps the run there with a REPORT_PREFIX of the operator's too (the reports go under that prefix, as in single mode)", () => {
    const settings = loadLambdaSettings({ ...env, REPORT_PREFIX: 'audit' });
    expect(settings.notify.reportPrefix).toBe('audit/');
    expect(runStoreOf(settings, clients).prefix).toBe('trailwatch/');
  });
});
