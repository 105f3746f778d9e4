import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.__trailwatchMotoServers ?? [];
  await Promise.all(servers.map((s) => s.stop()));
  for (const s of servers) {
    try {
      process.kill(s.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(join(tmpdir(), `trailwatch-moto-${process.pid}.pids`), { force: true });
}
