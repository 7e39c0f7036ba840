import { now } from './timing';

/**
 * Calls `onSlot(intendedMs, k)` for the k-th slot of a fixed-rate schedule (slot k is due at
 * `startMs + k / rate`), from `startMs` until `endMs`. Slots that come due while the event loop was
 * busy are issued late but keep their intended time, so latency measured from it carries the delay
 * (no coordinated omission). Within 1.5 ms of the next slot it yields with `setImmediate` rather
 * than `setTimeout`, whose 1 ms granularity would otherwise add up to a millisecond to every sample.
 */
export function runPaced(ratePerSec: number, startMs: number, endMs: number, onSlot: (intendedMs: number, k: number) => void): Promise<number> {
  if (!(ratePerSec > 0)) throw new RangeError(`rate must be positive, got ${ratePerSec}`);
  const interval = 1000 / ratePerSec;
  let k = 0;
  return new Promise<number>((resolve) => {
    const tick = (): void => {
      const t = now();
      let due = startMs + k * interval;
      while (due <= t && due < endMs) {
        onSlot(due, k);
        k++;
        due = startMs + k * interval;
      }
      if (due >= endMs) {
        resolve(k);
        return;
      }
      const wait = due - now();
      if (wait > 1.5) setTimeout(tick, Math.floor(wait - 0.5));
      else setImmediate(tick);
    };
    tick();
  });
}
