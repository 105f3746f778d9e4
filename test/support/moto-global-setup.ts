// Starts one moto server per jest worker, once per run; tests reset their worker's server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startMoto, type MotoServer } from '../../src/demo/moto';

declare global {
  var __trailwatchMotoServers: MotoServer[] | undefined;
}

export default async function globalSetup(config: { maxWorkers: number }): Promise<void> {
  const count = Math.max(1, config.maxWorkers);
  const servers = await Promise.all(Array.from({ length: count }, () => startMoto()));
  globalThis.__trailwatchMotoServers = servers;
  process.env.TRAILWATCH_MOTO_ENDPOINTS = servers.map((s) => s.endpoint).join(',');
  // A pid file, so a crashed run's servers can be found and killed.
  const pidFile = join(tmpdir(), `trailwatch-moto-${process.pid}.pids`);
  writeFileSync(pidFile, servers.map((s) => s.pid).join('\n'));
  process.env.TRAILWATCH_MOTO_PIDFILE = pidFile;
}
