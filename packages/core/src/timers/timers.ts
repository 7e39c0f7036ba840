import { injectable } from 'inversify';
import { Inject } from '../decorators/inject.decorators';
import { LOGGER, type Logger } from '../logger';

/** A running timer. */
export interface TimerHandle {
  stop(): void;
}

type TimerTask = () => void | Promise<void>;

/**
 * Pitaya's timers (`NewTimer`, `NewCountTimer`, `NewAfterTimer`, `NewCondTimer`), owned by the
 * application: a failing task is logged, never fatal, and every timer stops at shutdown.
 */
@injectable('Singleton')
export class Timers {
  private readonly active = new Set<NodeJS.Timeout>();

  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  /** Runs `task` every `intervalMs`, first after one interval. */
  every(intervalMs: number, task: TimerTask): TimerHandle {
    return this.count(intervalMs, Infinity, task);
  }

  /** Runs `task` `times` times, every `intervalMs`. */
  count(intervalMs: number, times: number, task: TimerTask): TimerHandle {
    let runs = 0;
    const timer = setInterval(() => {
      runs++;
      if (runs >= times) this.clear(timer);
      this.run(task);
    }, intervalMs);
    return this.track(timer);
  }

  /** Runs `task` once after `delayMs`. */
  after(delayMs: number, task: TimerTask): TimerHandle {
    const timer = setTimeout(() => {
      this.active.delete(timer);
      this.run(task);
    }, delayMs);
    return this.track(timer);
  }

  /** Checks `condition` every `checkEveryMs` (default 1 s) and runs `task` whenever it holds. */
  when(condition: (now: number) => boolean, task: TimerTask, checkEveryMs = 1000): TimerHandle {
    return this.every(checkEveryMs, () => (condition(Date.now()) ? task() : undefined));
  }

  /** Stops every timer (called at shutdown). */
  stopAll(): void {
    for (const timer of this.active) clearTimeout(timer);
    this.active.clear();
  }

  private track(timer: NodeJS.Timeout): TimerHandle {
    this.active.add(timer);
    return { stop: () => this.clear(timer) };
  }

  private clear(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.active.delete(timer);
  }

  private run(task: TimerTask): void {
    try {
      const result = task();
      if (result instanceof Promise) result.catch((error: unknown) => this.log.error({ err: error }, 'timer task failed'));
    } catch (error) {
      this.log.error({ err: error }, 'timer task failed');
    }
  }
}
