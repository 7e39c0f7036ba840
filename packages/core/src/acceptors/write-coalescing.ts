import type { Socket } from 'node:net';

/**
 * Counts input events: every chunk an acceptor reads from any client advances it. All the work one
 * chunk causes (its messages, their synchronous handlers, the promises they settle in the same
 * tick) runs under one value.
 */
let inputEvent = 0;

/** Called by the acceptors once per chunk read from a client. */
export function nextInputEvent(): void {
  inputEvent = (inputEvent + 1) | 0;
}

/** Writers corked in this turn of the event loop, released together by one `setImmediate`. */
let corked: CoalescingWriter[] = [];
let spare: CoalescingWriter[] = [];
let flushScheduled = false;

function flushCorked(): void {
  const list = corked;
  corked = spare;
  spare = list;
  flushScheduled = false;
  for (let i = 0; i < list.length; i++) list[i]!.release();
  list.length = 0;
}

/**
 * Writes frames to one socket, coalescing bursts: the first write of an input event goes straight to
 * the kernel (an echo reply is not delayed, and costs a field compare), a second one corks the socket,
 * and everything written to it until the event loop's check phase leaves in one `writev`. A sender
 * whose notifies arrive together (a busy room), or several broadcasts reaching a cluster frontend in
 * one turn of the loop, make a member receive several pushes at once; without this each push was its
 * own system call, the largest cost of a broadcast. Outside client input (pushes from cluster RPCs or
 * timers) every write after a socket's first waits for the check phase of the turn it was made in.
 * At most one entry per connection is pending: the corked list is bounded by the connection limit.
 */
export class CoalescingWriter {
  private lastEvent = -1;
  private corked = false;

  constructor(private readonly socket: Socket) {}

  write(bytes: Uint8Array): void {
    if (this.corked) {
      this.socket.write(bytes);
      return;
    }
    if (this.lastEvent !== inputEvent) {
      this.lastEvent = inputEvent;
      this.socket.write(bytes);
      return;
    }
    this.corked = true;
    this.socket.cork();
    this.socket.write(bytes);
    corked.push(this);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushCorked);
    }
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
    this.socket.uncork();
  }
}
