import type { HandledMessage, MetricsReporter, RefusalReason } from '@pitaya-ts/core';

/** Several reporters at once, as Pitaya allows (Prometheus and StatsD together): each call goes to every one. */
export class CompositeMetricsReporter implements MetricsReporter {
  /**
   * Set only when one of the reporters measures handler delay: its absence tells the dispatcher
   * not to time queued messages at all.
   */
  readonly handlerDelay?: (route: string, type: 'local' | 'remote', delayMs: number) => void;

  constructor(private readonly reporters: readonly MetricsReporter[]) {
    const delayed = reporters.filter((r) => typeof r.handlerDelay === 'function');
    if (delayed.length > 0) {
      this.handlerDelay = (route, type, delayMs) => {
        for (const r of delayed) r.handlerDelay!(route, type, delayMs);
      };
    }
  }

  connectionOpened(transport: string): void {
    for (const r of this.reporters) r.connectionOpened(transport);
  }
  connectionClosed(transport: string): void {
    for (const r of this.reporters) r.connectionClosed(transport);
  }
  malformedInput(reason: string): void {
    for (const r of this.reporters) r.malformedInput(reason);
  }
  rateLimited(): void {
    for (const r of this.reporters) r.rateLimited();
  }
  slowConsumer(): void {
    for (const r of this.reporters) r.slowConsumer();
  }
  messageHandled(message: HandledMessage): void {
    for (const r of this.reporters) r.messageHandled(message);
  }
  refused(reason: RefusalReason): void {
    for (const r of this.reporters) r.refused(reason);
  }
  rpcTimeout(serverType: string): void {
    for (const r of this.reporters) r.rpcTimeout(serverType);
  }
  workerJobsTotal(status: 'ok' | 'failed', total: number): void {
    for (const r of this.reporters) r.workerJobsTotal(status, total);
  }
  workerJobsRetry(count: number): void {
    for (const r of this.reporters) r.workerJobsRetry(count);
  }
  workerQueueSize(queue: string, size: number): void {
    for (const r of this.reporters) r.workerQueueSize(queue, size);
  }
  rpcDropped(): void {
    for (const r of this.reporters) r.rpcDropped?.();
  }
}
