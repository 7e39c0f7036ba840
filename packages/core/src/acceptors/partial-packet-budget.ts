/**
 * Memory held by partially received packets, across every connection of a process
 * (`conn.partialPacketBudget`). Without it each stalled sender could pin a `conn.maxPacketSize`
 * body; with it the total is bounded and the connection that would pass the budget is closed.
 */
export class PartialPacketBudget {
  private used = 0;

  constructor(
    /** Largest total, in bytes. */
    readonly limit: number,
  ) {}

  /** Bytes held right now. */
  get usedBytes(): number {
    return this.used;
  }

  /**
   * Moves one connection's holding from `held` to `next` bytes. Growing past the limit is refused
   * (false, nothing changes); shrinking always succeeds.
   */
  update(held: number, next: number): boolean {
    const used = this.used - held + next;
    if (next > held && used > this.limit) return false;
    this.used = used;
    return true;
  }
}
