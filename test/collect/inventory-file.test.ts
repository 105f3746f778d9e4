import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InventoryFileError, parseInventoryFile, readInventoryFile, serializeInventories } from '../../src/collect/inventory-file';
import { UsageError } from '../../src/errors';
import { edit, findTrail, healthy } from '../evaluate/builders';

const FIXTURES = join(__dirname, '../evaluate/fixtures');
const fixtureNames = readdirSync(FIXTURES).filter((file) => file.endsWith('.json'));

describe('Module: inventory-file', () => {
  describe('Function: serializeInventories / parseInventoryFile', () => {
    it.each(fixtureNames)('round-trips %s without loss', (file) => {
      // Prepare
      const text = readFileSync(join(FIXTURES, file), 'utf8');

      // Act
      const inventories = parseInventoryFile(text);
      const again = serializeInventories(inventories);

      // Assess
      expect(again).toBe(text);
      expect(parseInventoryFile(again)).toEqual(inventories);
    });

    it('keeps the organization the inventories were collected in, so organization trails are credited offline', () => {
      // Prepare
      const organization = { managementAccountId: '111111111111', memberAccountIds: ['222222222222'] };
      // Act
      const loaded = readInventoryFile(serializeInventories([healthy()], organization));
      // Assess
      expect(loaded.organization).toEqual(organization);
      expect(readInventoryFile(serializeInventories([healthy()])).organization).toBeUndefined();
      expect(() => readInventoryFile(serializeInventories([healthy()], { memberAccountIds: 'x' } as never))).toThrow(/organization\.memberAccountIds/);
    });

    it('keeps every field of a fully populated inventory, and fields it does not know', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        draft.regionsNotEnabled = ['me-central-1'];
        draft.apiCalls = { 'cloudtrail:ListTrails': 1, 'logs:DescribeMetricFilters': 1 };
        draft.readErrors.push({ scope: 'alarms', region: 'eu-west-1', resource: 'x', code: 'Timeout', message: 'timed out after 10s' });
        const main = findTrail(draft, 'main');
        main.advancedEventSelectors = [{ name: 'mgmt', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'], notStartsWith: ['a'], notEndsWith: ['b'], startsWith: ['c'], endsWith: ['d'], notEquals: ['e'] }] }];
        (main as unknown as Record<string, unknown>).futureField = { nested: [1, 'two'] };
      });

      // Act
      const [loaded] = parseInventoryFile(serializeInventories([inventory]));

      // Assess
      expect(loaded).toEqual(inventory);
      expect((loaded?.trails[0] as unknown as Record<string, unknown>).futureField).toEqual({ nested: [1, 'two'] });
    });

    it('reads a bare list of inventories and a single inventory', () => {
      // Prepare
      const inventory = healthy();

      // Act & Assess
      expect(parseInventoryFile(JSON.stringify([inventory]))).toEqual([inventory]);
      expect(parseInventoryFile(JSON.stringify(inventory))).toEqual([inventory]);
    });
  });

  describe('Function: parseInventoryFile errors', () => {
    it('names the bad field and what it should be', () => {
      // Prepare
      const text = serializeInventories([edit(healthy(), (draft) => void ((findTrail(draft, 'main') as unknown as Record<string, unknown>).homeRegion = 5))]);

      // Act
      const act = () => parseInventoryFile(text);

      // Assess
      expect(act).toThrow(InventoryFileError);
      expect(act).toThrow(UsageError);
      expect(act).toThrow('bad inventory file: inventories[0].trails[0].homeRegion must be string, found number 5');
    });

    it('names a missing field', () => {
      // Prepare
      const inventory = healthy() as unknown as Record<string, unknown>;
      delete inventory.readErrors;

      // Act & Assess
      expect(() => parseInventoryFile(JSON.stringify({ formatVersion: 1, inventories: [inventory] }))).toThrow('bad inventory file: inventories[0].readErrors is missing (expected array)');
    });

    it('names a bad value inside a record, with its path', () => {
      // Prepare
      const text = serializeInventories([
        edit(healthy(), (draft) => {
          const alarms = draft.alarms['us-east-1']!;
          (alarms[0] as unknown as Record<string, unknown>).actionsEnabled = 'yes';
        }),
      ]);

      // Act
      let error: unknown;
      try {
        parseInventoryFile(text);
      } catch (caught) {
        error = caught;
      }

      // Assess
      expect(error).toBeInstanceOf(InventoryFileError);
      expect((error as InventoryFileError).path).toBe('inventories[0].alarms["us-east-1"][0].actionsEnabled');
      expect((error as Error).message).toBe('bad inventory file: inventories[0].alarms["us-east-1"][0].actionsEnabled must be boolean, found string "yes"');
    });

    it('says the file is not JSON', () => {
      // Act & Assess
      expect(() => parseInventoryFile('{"formatVersion": 1, ')).toThrow(/^the inventory file is not JSON: /);
    });

    it('says when a newer trailwatch wrote the file', () => {
      // Act & Assess
      expect(() => parseInventoryFile(JSON.stringify({ formatVersion: 2, inventories: [] }))).toThrow('bad inventory file: formatVersion is 2: the file was written by a newer trailwatch, this one reads format 1');
    });

    it('refuses an account given twice', () => {
      // Act & Assess
      expect(() => parseInventoryFile(serializeInventories([healthy(), healthy()]))).toThrow('bad inventory file: account 111111111111 appears twice (inventories[1])');
    });
  });
});
