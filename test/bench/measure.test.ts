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

  /** Forced collections so far: the work below runs until the sampler has forced a few, however slow the machine. */
  let collections = 0;
  /** A collection the sampler does not see. */
  let rawGc: () => void = () => undefined;

  beforeAll(() => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    rawGc = gc;
    global.gc = () => {
      collections += 1;
      gc();
    };
  });

  afterAll(() => {
    global.gc = hadGc;
  });

  // Time enough for four forced collections on a loaded machine.
  it('samples what the work holds and not the garbage it makes on the way', async () => {
    // Act: 40 MB held across several samples, and 200 MB made and dropped in pieces.
    let heapWithHeld = 0;
    const measured = await withPeakRss(
      async () => {
        const held: number[][] = [];
        for (let i = 0; i < 40; i += 1) held.push(new Array<number>(MB / 8).fill(i + 0.5));
        // What is live with the 40 MB held, measured apart (the baseline before the work is not a fixed
        // point in a jest worker: later full collections also free code and caches of earlier tests).
        rawGc();
        rawGc();
        heapWithHeld = process.memoryUsage().heapUsed;
        const before = collections;
        for (let round = 0; round < 20 || collections - before < 4; round += 1) {
          const garbage = Array.from({ length: 10 }, () => new Array<number>(MB / 8).fill(round + 0.5));
          if (garbage.length !== 10) throw new Error('unreachable');
          await sleep(15);
        }
        return held.length;
      },
      { liveHeapEveryMs: 20 },
    );

    // Assess
    expect(measured.value).toBe(40);
    expect(measured.forcedCollections).toBeGreaterThanOrEqual(4);
    // Live at each sample: the 40 MB held and at most one round's 10 MB; never the 200 MB of garbage made.
    expect(measured.peakLiveHeapBytes).toBeGreaterThan(heapWithHeld - 20 * MB);
    expect(measured.peakLiveHeapBytes).toBeLessThan(heapWithHeld + 40 * MB);
    expect(measured.forcedGcWallMs).toBeGreaterThan(0);
    expect(measured.forcedGcCpuMs).toBeGreaterThanOrEqual(0);
  }, 30_000);

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
