import type { Socket } from 'node:net';

/**
 * Counts input events: every chunk an acceptor reads from any client advances it. All the work one
 * chunk causes (its messages, their synchronous handlers, the promises they settle in the same
 * tick) runs under one value.
 */
let inputEvent = 0;
/** The connection whose chunk is being handled: its replies are what must not wait. */
let inputWriter: CoalescingWriter | undefined;
/**
 * Turns of the event loop in which a writer wrote to a connection other than the input one:
 * advanced by the check-phase release, which every such write schedules.
 */
let turn = 0;

/**
 * Called by the acceptors once per chunk read from a client, before its messages are handled,
 * with the writer of that client's connection.
 */
export function nextInputEvent(from?: CoalescingWriter): void {
  inputEvent = (inputEvent + 1) | 0;
  inputWriter = from;
}

/** Writers corked in this turn of the event loop, released together by one `setImmediate`. */
let corked: CoalescingWriter[] = [];
let spare: CoalescingWriter[] = [];
let flushScheduled = false;

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushCorked);
}

function flushCorked(): void {
  const list = corked;
  corked = spare;
  spare = list;
  flushScheduled = false;
  turn = (turn + 1) | 0;
  for (let i = 0; i < list.length; i++) list[i]!.release();
  list.length = 0;
}

/**
 * Writes frames to one socket, coalescing bursts: a socket's first frame goes straight to the
 * kernel, a second one corks it, and everything written to it until the event loop's check phase
 * leaves in one `writev`. "First" is counted two ways:
 * - the connection whose chunk is being handled: first of that input event (an echo reply is not
 *   delayed, and costs a field compare: no timer, no list);
 * - any other connection (pushes: a room's broadcasts, cluster pushes, timers): first of this turn
 *   of the loop, so the broadcasts of several senders handled in one turn reach a member in one
 *   system call, not one each. Without this each push was its own system call, the largest cost
 *   of a broadcast. A connection whose last corked turn was a burst corks from its first push of
 *   the next turn (one `writev` instead of a write and a `writev`: half the system calls per
 *   member on a cluster frontend, counted); one that got a single frame then goes back to writing directly.
 * At most one entry per connection is pending: the corked list is bounded by the connection limit.
 */
export class CoalescingWriter {
  private lastEvent = -1;
  private lastTurn = -1;
  private corked = false;
  /** Frames written since the cork. */
  private corkedWrites = 0;
  /** The cork came before the turn's first frame (the connection was bursty). */
  private corkedFirst = false;
  /** The last corked turn had two frames or more: the next turn's first push corks at once. */
  private bursty = false;

  constructor(private readonly socket: Socket) {}

  write(bytes: Uint8Array): void {
    if (this.corked) {
      this.corkedWrites++;
      this.socket.write(bytes);
      return;
    }
    if (this === inputWriter) {
      if (this.lastEvent !== inputEvent) {
        this.lastEvent = inputEvent;
        this.socket.write(bytes);
        return;
      }
    } else if (this.lastTurn !== turn) {
      this.lastTurn = turn;
      if (this.bursty) {
        this.cork(bytes, true);
        return;
      }
      // The turn ends (and `turn` moves on) at the check phase this schedules.
      scheduleFlush();
      this.socket.write(bytes);
      return;
    }
    this.cork(bytes, false);
  }

  /**
   * Hands what is corked to the socket now: before closing or destroying it, which would otherwise
   * drop frames still held for the check phase (a reply written just before a graceful close).
   */
  flush(): void {
    if (this.corked) this.release();
  }

  /** @internal the end of a burst: the writes since the cork leave in one writev (a no-op once flushed) */
  release(): void {
    if (!this.corked) return;
    this.corked = false;
    this.bursty = !this.corkedFirst || this.corkedWrites > 1;
    this.socket.uncork();
  }

  private cork(bytes: Uint8Array, first: boolean): void {
    this.corked = true;
    this.corkedFirst = first;
    this.corkedWrites = 1;
    this.socket.cork();
    this.socket.write(bytes);
    corked.push(this);
    scheduleFlush();
  }
}
