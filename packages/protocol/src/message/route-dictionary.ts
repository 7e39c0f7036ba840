import { ProtocolError } from '../errors';
import { compareCodePoints } from '../json';

const MAX_CODE = 0xffff;

/**
 * Route compression dictionary (route <-> 2-byte code), sent to clients in the handshake (`sys.dict`).
 * Immutable, and owned by whoever creates it (Pitaya keeps one process-global map).
 */
export class RouteDictionary {
  readonly #codes = new Map<string, number>();
  readonly #routes = new Map<number, string>();

  /**
   * @param entries - route -> code. Routes are trimmed as Go's `SetDictionary` does. Throws
   * `BAD_DICTIONARY_CODE` for a code outside 0..65535 and `DUPLICATE_ROUTE` ("duplicated route(route: %s,
   * code: %d)") when a code, or a trimmed route, repeats.
   */
  constructor(entries: Readonly<Record<string, number>> = {}) {
    for (const [raw, code] of Object.entries(entries)) {
      const route = raw.trim();
      if (!(Number.isInteger(code) && code >= 0 && code <= MAX_CODE)) {
        throw new ProtocolError(
          'BAD_DICTIONARY_CODE',
          `route dictionary code for "${route}" must be an integer in 0..${MAX_CODE}, got ${String(code)}`,
        );
      }
      if (this.#codes.has(route) || this.#routes.has(code)) {
        throw new ProtocolError('DUPLICATE_ROUTE', `duplicated route(route: ${route}, code: ${code})`);
      }
      this.#codes.set(route, code);
      this.#routes.set(code, route);
    }
  }

  /** The code of `route`, if it is in the dictionary. */
  codeOf(route: string): number | undefined {
    return this.#codes.get(route);
  }

  /** The route of `code`, if it is in the dictionary. */
  routeOf(code: number): string | undefined {
    return this.#routes.get(code);
  }

  /** Number of routes. */
  get size(): number {
    return this.#codes.size;
  }

  /** route -> code with keys sorted as Go sorts map keys (the handshake's `sys.dict`). */
  toJSON(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const route of [...this.#codes.keys()].sort(compareCodePoints)) {
      // defineProperty: a route named "__proto__" must stay a plain key.
      const value = this.#codes.get(route);
      Object.defineProperty(out, route, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
}
