/** A set of listeners whose exceptions never escape into packet processing. @internal */
export class Listeners<A extends unknown[]> {
  readonly #set = new Set<(...args: A) => void>();

  get size(): number {
    return this.#set.size;
  }

  /** Adds `listener`; returns its remover. */
  add(listener: (...args: A) => void): () => void {
    this.#set.add(listener);
    return () => void this.#set.delete(listener);
  }

  /** Calls every listener (a snapshot: listeners may unsubscribe while being called). */
  emit(...args: A): void {
    for (const listener of [...this.#set]) {
      try {
        listener(...args);
      } catch (e) {
        // Report like a DOM event listener error: asynchronously, so the connection keeps working.
        setTimeout(() => {
          throw e;
        });
      }
    }
  }
}
