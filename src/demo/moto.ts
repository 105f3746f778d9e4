/**
 * Starts moto (the AWS emulator shipped in this machine image) in server mode on a free loopback
 * port, for the demo, the integration tests and the benchmark. Only ever 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { TrailwatchError } from '../errors';

export const MOTO_INSTALL_HINT = 'moto is not installed: pip install "moto[server]"';

export class MotoUnavailableError extends TrailwatchError {}

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Clears every account and region. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Credentials moto accepts; never real ones. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

export function motoInstalled(python = 'python3'): boolean {
  const probe = spawnSync(python, ['-c', 'import moto.server, flask'], { stdio: 'ignore' });
  return probe.status === 0;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function resetMoto(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new TrailwatchError(`moto reset failed: HTTP ${response.status}`);
}

/**
 * Seeds moto's random generator (its /moto-api/seed): the IDs it makes next (accounts, OUs,
 * roots) are then the same on every run, so a file can name the demo's accounts.
 */
export async function seedMotoIds(endpoint: string, seed: number): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/seed?a=${seed}`, { method: 'POST' });
  if (!response.ok) throw new TrailwatchError(`moto seed failed: HTTP ${response.status}`);
}

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new MotoUnavailableError(`moto exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new MotoUnavailableError(`moto did not answer on ${endpoint} within ${timeoutMs} ms`);
}

export async function startMoto(options: { python?: string; timeoutMs?: number } = {}): Promise<MotoServer> {
  const python = options.python ?? 'python3';
  if (!motoInstalled(python)) throw new MotoUnavailableError(MOTO_INSTALL_HINT);
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    detached: false,
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'false' },
  });
  try {
    await waitUntilUp(endpoint, child, options.timeoutMs ?? 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  child.unref();
  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    reset: () => resetMoto(endpoint),
    stop: async () => {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        // Unref'd at start so moto never keeps a process alive; while stopping, wait for it.
        child.ref();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    },
  };
}
