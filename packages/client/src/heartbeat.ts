/**
 * Sends a heartbeat every interval and declares the connection dead after two intervals without any
 * packet from the server (libpitaya's `PC_HEARTBEAT_TIMEOUT_FACTOR`). `touch()` is a field write, so the
 * hot receive path never re-arms a timer.
 */
export class Heartbeat {
  #lastSeen = Date.now();
  #sender: ReturnType<typeof setInterval> | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param intervalMs - the handshake's `sys.heartbeat` in ms
   * @param send - sends one heartbeat packet
   * @param onDead - called once when the server has been silent for 2 intervals
   */
  constructor(
    private readonly intervalMs: number,
    private readonly send: () => void,
    private readonly onDead: () => void,
  ) {}

  /** Starts both timers. */
  start(): void {
    this.#lastSeen = Date.now();
    this.#sender = setInterval(this.send, this.intervalMs);
    this.#arm(2 * this.intervalMs);
  }

  /** Records that the server sent something. */
  touch(): void {
    this.#lastSeen = Date.now();
  }

  /** Stops both timers. */
  stop(): void {
    clearInterval(this.#sender);
    clearTimeout(this.#watchdog);
    this.#sender = this.#watchdog = undefined;
  }

  #arm(delayMs: number): void {
    this.#watchdog = setTimeout(() => {
      const silentFor = Date.now() - this.#lastSeen;
      const limit = 2 * this.intervalMs;
      if (silentFor >= limit) {
        this.stop();
        this.onDead();
      } else {
        this.#arm(limit - silentFor);
      }
    }, delayMs);
  }
}
