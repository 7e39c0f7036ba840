/**
 * Default of `cluster.rpc.server.grpc.callsPerTurn`: calls the gRPC server starts per turn of the
 * event loop before it lets the loop go round (0 = no limit).
 *
 * Why a limit at all: Node's HTTP/2 sends what a session has written once per turn of the loop
 * (nghttp2's pending frames leave in a check-phase callback). A frontend forwarding for 1,000 players
 * delivers hundreds of calls in one read; started all at once, every answer waits for the last of
 * them, then all leave together, and the frontend idles while the backend works and the other way
 * round (each process at 80-85 % of its core, measured). Started in slices, the first answers leave
 * after the first slice and the frontend works on them while the backend does the next one.
 * Measured with the bench's scenario D (1,000 clients, frontend and backend on their own cores),
 * alternating: where the unlimited backend fell into that convoy, 4.25-4.38k forwarded requests/s
 * and p99 35-47 ms against 5.70-6.05k and p99 29-30 ms at 64; where it did not, no cost measured.
 */
export const DEFAULT_CALLS_PER_TURN = 64;

/** Spent entries at the front of the waiting arrays that trigger a compaction while calls still wait. */
const COMPACT_AFTER = 1024;

/** What {@link CallPacer} needs of a call: grpc-js's `cancelled` (deadline passed, peer gone). */
export interface PacedCall {
  readonly cancelled: boolean;
}

/** Starts one call: `done` is what answers it (grpc-js's callback), passed through untouched. */
export type StartCall<C extends PacedCall, D> = (call: C, done: D) => void;

/**
 * Starts at most `perTurn` calls per turn of the event loop, the rest in arrival order in the next
 * turns (a check-phase callback per turn while any wait). A call cancelled while it waited is
 * dropped without running: its answer would go nowhere.
 *
 * Bounded by what it is given: it holds only calls grpc-js has already received and keeps in memory,
 * each until its turn comes. A call started at once costs a compare and an increment; only a waiting
 * one takes slots here (three array entries).
 */
export class CallPacer {
  /** Calls started in the current turn. */
  private started = 0;
  /** A check-phase callback is scheduled: it ends the turn (and starts waiting calls). */
  private scheduled = false;
  private readonly calls: PacedCall[] = [];
  private readonly dones: unknown[] = [];
  private readonly starts: StartCall<PacedCall, unknown>[] = [];
  private head = 0;

  /** @param perTurn calls started per turn; 0 or less starts every call at once */
  constructor(private readonly perTurn: number) {}

  /** Calls waiting for a later turn. */
  get backlog(): number {
    return this.calls.length - this.head;
  }

  /** Runs `start(call, done)` now if this turn has room and nothing waits, else in a later turn. */
  submit<C extends PacedCall, D>(call: C, done: D, start: StartCall<C, D>): void {
    if (this.perTurn <= 0) {
      start(call, done);
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      this.started = 0;
      setImmediate(this.endTurn);
    }
    if (this.started < this.perTurn && this.head === this.calls.length) {
      this.started++;
      start(call, done);
      return;
    }
    this.calls.push(call);
    this.dones.push(done);
    this.starts.push(start as StartCall<PacedCall, unknown>);
  }

  private readonly endTurn = (): void => {
    this.scheduled = false;
    this.started = 0;
    if (this.head === this.calls.length) return;
    // Scheduled before starting the next slice: calls arriving during it count against its budget.
    this.scheduled = true;
    setImmediate(this.endTurn);
    const { calls, dones, starts } = this;
    while (this.started < this.perTurn && this.head < calls.length) {
      const i = this.head++;
      const call = calls[i]!;
      const done = dones[i];
      const start = starts[i]!;
      if (call.cancelled) continue;
      this.started++;
      try {
        start(call, done);
      } catch {
        // `start` answers its own failures; one that throws must not strand the calls behind it.
      }
    }
    if (this.head === calls.length) {
      // Drained: drop the spent entries (the arrays keep their capacity for the next burst).
      calls.length = 0;
      dones.length = 0;
      starts.length = 0;
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= calls.length) {
      // A backlog that never drains (a server overloaded for minutes) must not keep every call it
      // ever started: drop the spent half. Amortized: it copies at most as many entries as it drops.
      calls.splice(0, this.head);
      dones.splice(0, this.head);
      starts.splice(0, this.head);
      this.head = 0;
    }
  };
}
