import { rmSync } from 'node:fs';

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
  const pidFile = process.env.TRAILWATCH_MOTO_PIDFILE;
  if (pidFile) rmSync(pidFile, { force: true });
}
