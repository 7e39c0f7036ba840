import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Registers a throwaway server process (etcd, nats-server, redis-server, Prometheus) so that a test
 * failing before its `afterAll` cannot leave it running: whatever is left is SIGKILLed when the process
 * (Jest worker) exits. Only synchronous work is possible in an 'exit' handler, and kill() is synchronous.
 */
export function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

/** The last lines of a server's log file, for start-up error messages. */
export function tailFile(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const PORT_ATTEMPTS = 5;

/**
 * Runs `launch` and, when it fails because a port was taken between the free-port probe and the
 * server's own bind, picks new ports with `repick` and tries again (up to 5 attempts).
 */
export async function retryOnPortRace(launch: () => Promise<void>, repick: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      return;
    } catch (e) {
      const portRace = /address already in use/i.test((e as Error).message);
      if (!portRace || attempt >= PORT_ATTEMPTS) throw e;
      await repick();
    }
  }
}
