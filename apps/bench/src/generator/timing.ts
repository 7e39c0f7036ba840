/** Milliseconds on the monotonic clock every client of this process shares. */
export function now(): number {
  return performance.now();
}

/** Resolves after `ms`; the timer does not keep the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Polls `condition` every `stepMs` until it holds or `timeoutMs` passed; returns whether it held. */
export async function waitFor(condition: () => boolean, timeoutMs: number, stepMs = 5): Promise<boolean> {
  const deadline = now() + timeoutMs;
  while (!condition()) {
    if (now() >= deadline) return false;
    await sleep(stepMs);
  }
  return true;
}

/** CPU time (user + system) of this process in milliseconds. */
export function cpuMillis(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
