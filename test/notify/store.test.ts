import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { putReport } from '../../src/notify/store';
import type { ScanReport } from '../../src/report/types';
import { syntheticReport } from '../report/html/organization';
import { motoClients, useMoto } from '../support/moto';
import { createBucket, REGION, SCANNER_ACCOUNT } from './topic-queue';

/** Over putReport's 8 MB: written a piece at a time (about 15 KB of JSON an account). */
const large: ScanReport = syntheticReport({ accounts: 700, hostile: true });

describe('putReport', () => {
  describe('on moto', () => {
    useMoto();

    it('stores a report over 8 MB streamed, byte for byte its JSON (names outside Latin-1 included)', async () => {
      // Prepare
      const clients = motoClients();
      try {
        const s3 = clients.s3({ accountId: SCANNER_ACCOUNT }, REGION);
        const bucket = await createBucket(clients);
        const withUnicode = { ...large, accounts: [{ ...large.accounts[0]!, name: 'Zürich — 東京 ✓' }, ...large.accounts.slice(1)] };
        const expected = JSON.stringify(withUnicode);
        expect(Buffer.byteLength(expected)).toBeGreaterThan(8 * 1024 * 1024);
        // Act
        const location = await putReport(s3, bucket, 'trailwatch/reports/large.json', withUnicode);
        // Assess
        expect(location).toBe(`s3://${bucket}/trailwatch/reports/large.json`);
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'trailwatch/reports/large.json' }));
        expect(object.ContentType).toBe('application/json');
        expect(await object.Body?.transformToString('utf-8')).toBe(expected);
      } finally {
        clients.destroy();
      }
    });
  });

  describe('a streamed upload that fails', () => {
    /** An S3 client that reads each upload's whole body, then answers with the next outcome. */
    function s3Answering(outcomes: (Error | undefined)[]) {
      const bodies: number[] = [];
      const client = {
        send: async (command: { input: { Body: Readable } }) => {
          let bytes = 0;
          for await (const chunk of command.input.Body) bytes += (chunk as Buffer).length;
          bodies.push(bytes);
          const outcome = outcomes.shift();
          if (outcome) throw outcome;
          return {};
        },
      };
      return { s3: client as unknown as S3Client, bodies };
    }
    const failure = (status: number, name: string) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
    const size = Buffer.byteLength(JSON.stringify(large));

    it('is written anew and sent again after a service failure or a broken connection (the SDK cannot rewind a stream)', async () => {
      const { s3, bodies } = s3Answering([failure(503, 'SlowDown'), Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), undefined]);
      await putReport(s3, 'b', 'k', large);
      expect(bodies).toEqual([size, size, size]);
    });

    it('gives up after three attempts, with the last error', async () => {
      const { s3, bodies } = s3Answering([failure(500, 'InternalError'), failure(503, 'SlowDown'), failure(503, 'SlowDown again'), undefined]);
      await expect(putReport(s3, 'b', 'k', large)).rejects.toThrow('SlowDown again');
      expect(bodies).toHaveLength(3);
    });

    it('is not sent again when S3 refuses it (access denied, no such bucket)', async () => {
      const { s3, bodies } = s3Answering([failure(403, 'AccessDenied'), undefined]);
      await expect(putReport(s3, 'b', 'k', large)).rejects.toThrow('AccessDenied');
      expect(bodies).toHaveLength(1);
    });
  });
});
