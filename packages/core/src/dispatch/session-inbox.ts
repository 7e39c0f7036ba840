import type { Message } from '@pitaya-ts/protocol';
import type { FrontendSession } from '../session/frontend-session';

/** What the inbox may do to the connection it belongs to: stop and restart reading it. */
export interface ReadControl {
  pause(): void;
  resume(): void;
}

/**
 * The per-session queue behind ordered dispatch: the message being handled, the ones waiting for
 * it (bounded by count and bytes: past either bound the connection stops being read until the
 * queue drains) and nothing else. The agent owns one; the dispatcher drives it through these
 * methods and never touches the agent's own state.
 */
export class SessionInbox {
  private queue: Message[] | undefined;
  private queuedBytes = 0;
  private active = false;
  private paused = false;
  private stopped = false;
  private inProgress: Message | undefined;
  /**
   * Arrival times (`performance.now()`) of the waiting messages, index for index with `queue`; kept
   * only when the dispatcher measures handler delay. Numbers in their own array: no object per message.
   */
  private arrivals: number[] | undefined;
  private lastArrival = -1;

  constructor(private readonly reading: ReadControl) {}

  /** True while a message of this session is being handled (new ones must wait). */
  get busy(): boolean {
    return this.active;
  }

  /** Messages waiting behind the one in progress. */
  get waiting(): number {
    return this.queue?.length ?? 0;
  }

  /** Body bytes of the waiting messages. */
  get waitingBytes(): number {
    return this.queuedBytes;
  }

  /** The message being handled, if any. */
  get current(): Message | undefined {
    return this.inProgress;
  }

  /** Marks the session busy; returns true when it was idle (the caller then counts it as busy). */
  begin(): boolean {
    if (this.active) return false;
    this.active = true;
    return true;
  }

  /**
   * Queues a message behind the one in progress; stops reading once `maxCount` or `maxBytes` is
   * reached. `arrivedAt` (`performance.now()`, or -1 when delay is not measured) comes back as
   * {@link arrivedAt} when {@link next} returns the message.
   */
  enqueue(message: Message, maxCount: number, maxBytes: number, arrivedAt = -1): void {
    const queue = (this.queue ??= []);
    queue.push(message);
    if (arrivedAt >= 0) (this.arrivals ??= []).push(arrivedAt);
    this.queuedBytes += message.data.length;
    if ((queue.length >= maxCount || this.queuedBytes >= maxBytes) && !this.paused) {
      this.paused = true;
      this.reading.pause();
    }
  }

  /** Records the message now being handled (or none). */
  handling(message: Message | undefined): void {
    this.inProgress = message;
  }

  /**
   * The next waiting message; `undefined` when none is left (or `closed`), and then the session is
   * idle again and reading resumes if the queue had paused it.
   */
  next(closed: boolean): Message | undefined {
    const next = closed ? undefined : this.queue?.shift();
    if (next !== undefined) {
      this.queuedBytes -= next.data.length;
      this.lastArrival = this.arrivals?.shift() ?? -1;
      return next;
    }
    this.queuedBytes = 0;
    this.arrivals = undefined;
    this.active = false;
    if (this.paused) {
      this.paused = false;
      if (!closed && !this.stopped) this.reading.resume();
    }
    return undefined;
  }

  /** When the message last returned by {@link next} was queued (`performance.now()`), or -1 if not timed. */
  get arrivedAt(): number {
    return this.lastArrival;
  }

  /** Stops reading for good (shutdown): the queue no longer resumes the connection. */
  stopReading(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.reading.pause();
  }

  /** Whether reading was stopped for good. */
  get readingStopped(): boolean {
    return this.stopped;
  }

  /** Empties the queue and returns what was in progress and waiting, oldest first. */
  drain(): Message[] {
    const pending = this.inProgress === undefined ? this.queue ?? [] : [this.inProgress, ...(this.queue ?? [])];
    this.queue = undefined;
    this.arrivals = undefined;
    this.queuedBytes = 0;
    return pending;
  }

  /** Forgets the waiting messages (the connection closed). */
  clear(): void {
    this.queue = undefined;
    this.arrivals = undefined;
    this.queuedBytes = 0;
  }
}

/**
 * What the dispatcher sees of a client connection (the agent implements it): its session, whether
 * it closed, how to answer, and its queue. The dispatcher changes nothing else.
 */
export interface DispatchTarget {
  readonly session: FrontendSession;
  readonly closed: boolean;
  readonly inbox: SessionInbox;
  send(packet: Uint8Array): void;
}
