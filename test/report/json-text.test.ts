import fc from 'fast-check';
import { jsonByteLength, jsonFitsWithin, jsonPieces } from '../../src/report/json-text';
import { syntheticReport } from './html/organization';

const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('jsonFitsWithin', () => {
  it('agrees with the whole JSON text at every limit around its size (arrays, nesting, non-ASCII, undefined items)', () => {
    const item = fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer(), fc.constant(undefined), fc.dictionary(fc.string(), fc.string({ unit: 'grapheme' })));
    const value = fc.record({ title: fc.string({ unit: 'grapheme' }), accounts: fc.array(item), findings: fc.array(item), count: fc.integer() }, { requiredKeys: ['accounts'] });
    fc.assert(
      fc.property(value, fc.integer({ min: -3, max: 3 }), (object, delta) => {
        const limit = bytesOf(object) + delta;
        expect(jsonFitsWithin(object, limit)).toBe(delta >= 0);
      }),
      { numRuns: 500 },
    );
  });

  it('decides a report of a few hundred accounts as its JSON text does', () => {
    const report = syntheticReport({ accounts: 300, hostile: true });
    const size = bytesOf(report);
    expect(jsonFitsWithin(report, size)).toBe(true);
    expect(jsonFitsWithin(report, size - 1)).toBe(false);
    expect(jsonFitsWithin(report, 64 * 1024)).toBe(false);
  });

  it('stops measuring once past the limit: a report too large is refused after reading a few of its findings', () => {
    const report = syntheticReport({ accounts: 300 });
    let read = 0;
    const counted = { ...report, findings: report.findings.map((finding) => ({ toJSON: () => (read++, finding) })) };
    expect(jsonFitsWithin(counted, 64 * 1024)).toBe(false);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(report.findings.length / 10);
  });
});

describe('jsonPieces', () => {
  it('are JSON.stringify in pieces, and jsonByteLength its UTF-8 length', () => {
    const item = fc.oneof(fc.string({ unit: 'grapheme' }), fc.double(), fc.constant(undefined), fc.constant(null), fc.dictionary(fc.string(), fc.string({ unit: 'grapheme' })));
    const value = fc.record(
      { title: fc.string({ unit: 'grapheme' }), accounts: fc.array(item), findings: fc.array(item), nothing: fc.constant(undefined), nested: fc.dictionary(fc.string(), fc.array(item)) },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(value, (object) => {
        expect([...jsonPieces(object)].join('')).toBe(JSON.stringify(object));
        expect(jsonByteLength(object)).toBe(bytesOf(object));
      }),
      { numRuns: 500 },
    );
  });

  it('write a report as JSON.stringify does, a finding a piece', () => {
    const report = syntheticReport({ accounts: 120, hostile: true });
    const pieces = [...jsonPieces(report)];
    expect(pieces.join('')).toBe(JSON.stringify(report));
    expect(pieces.length).toBeGreaterThan(report.findings.length);
  });
});
