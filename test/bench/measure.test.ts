/**
 * The bench's live-heap sampling (scripts/bench/measure.ts): what the work holds shows, garbage
 * it drops does not, and the forced collections' time is counted so it can be taken off the
 * work's own. jest does not run node with --expose-gc, so the test exposes it itself.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { liveGrowth, withPeakRss } from '../../scripts/bench/measure';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('withPeakRss with liveHeapEveryMs', () => {
  const global = globalThis as { gc?: () => void };
  const hadGc = global.gc;

  beforeAll(() => {
    setFlagsFromString('--expose-gc');
    global.gc = runInNewContext('gc') as () => void;
  });

  afterAll(() => {
    global.gc = hadGc;
  });

  it('samples what the work holds and not the garbage it makes on the way', async () => {
    // Act: 40 MB held across several samples, and 200 MB made and dropped in pieces.
    const measured = await withPeakRss(
      async () => {
        const held: number[][] = [];
        for (let i = 0; i < 40; i += 1) held.push(new Array<number>(MB / 8).fill(i + 0.5));
        for (let round = 0; round < 20; round += 1) {
          const garbage = Array.from({ length: 10 }, () => new Array<number>(MB / 8).fill(round + 0.5));
          if (garbage.length !== 10) throw new Error('unreachable');
          await sleep(15);
        }
        await sleep(60);
        return held.length;
      },
      { liveHeapEveryMs: 20 },
    );

    // Assess
    expect(measured.value).toBe(40);
    expect(measured.forcedCollections).toBeGreaterThan(3);
    expect(liveGrowth(measured)).toBeGreaterThan(30 * MB);
    expect(liveGrowth(measured)).toBeLessThan(120 * MB);
    expect(measured.forcedGcWallMs).toBeGreaterThan(0);
    expect(measured.forcedGcCpuMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses to sample the live heap without a way to force a collection', async () => {
    // Prepare
    const gc = global.gc;
    delete global.gc;

    // Act / Assess
    try {
      await expect(withPeakRss(async () => 1, { liveHeapEveryMs: 10 })).rejects.toThrow(/--expose-gc/);
    } finally {
      global.gc = gc;
    }
  });
});

describe('liveGrowth', () => {
  it('is the live heap over the baseline when sampled, and the peak growth when not', () => {
    const base = { baselineRssBytes: 300, peakRssBytes: 900, baselineHeapBytes: 100, peakHeapBytes: 700 };
    expect(liveGrowth({ ...base, peakLiveHeapBytes: 160 })).toBe(60);
    expect(liveGrowth({ ...base, peakLiveHeapBytes: 90 })).toBe(0);
    expect(liveGrowth(base)).toBe(600);
  });
});
