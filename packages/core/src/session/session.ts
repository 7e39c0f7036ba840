import { isForbiddenKey, type HandshakeRequest } from '@pitaya-ts/protocol';
import { assertNoForbiddenKeys, parseUntrustedJson } from '../serialize/safe-json';
import { SessionParam } from '../decorators/guard.decorators';

/**
 * `@Session()` injects the client's session into a route method parameter (an alternative to
 * `ctx.session`), resolved at start-up.
 */
export const Session: () => ParameterDecorator = SessionParam;

/**
 * A client's session, as handlers see it. On a frontend it is the live connection's session; on a
 * backend it is a copy sent along with a forwarded request, whose changes reach the frontend only
 * through `bind()` and `pushToFront()` (Pitaya's frontend/backend sessions).
 */
export interface Session {
  /** Session id, unique in the frontend process that holds the connection. */
  readonly id: number;
  /** The bound user id; `undefined` until `bind()`. */
  readonly uid: string | undefined;
  /** True on the frontend that holds the connection. */
  readonly isFrontend: boolean;
  /** Id of the frontend server holding the connection (this server's id on a frontend). */
  readonly frontendId: string;
  /** The session id on that frontend (equal to `id` on a frontend). */
  readonly frontendSessionId: number;
  /** The client's address as the acceptor saw it (empty on a backend). */
  readonly remoteAddress: string;
  /** The handshake the client sent (frontend only). */
  readonly handshake: HandshakeRequest | undefined;

  /** Binds a user id; runs the bind callbacks (on the frontend too, when called on a backend). */
  bind(uid: string): Promise<void>;
  /** Pushes `route` with `body` to the client. */
  push(route: string, body: unknown): Promise<void>;
  /** Sends a kick packet and closes the connection. */
  kick(): Promise<void>;
  /** Sends this session's data to its frontend (backend only; a frontend rejects). */
  pushToFront(): Promise<void>;
  /** Runs `callback` when the connection closes (frontend only; a backend throws). */
  onClose(callback: () => void | Promise<void>): void;

  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  has(key: string): boolean;
  remove(key: string): void;
  clear(): void;
  /** A copy of all session data. */
  data(): Record<string, unknown>;
  /** Replaces all session data. */
  setData(data: Record<string, unknown>): void;
  /** Session data as the JSON that travels in RPCs (`protos.Session.data`). */
  encodedData(): string;
  /** Replaces all data from RPC JSON; empty input changes nothing (Pitaya's `SetDataEncoded`). */
  setEncodedData(json: string | Uint8Array): void;
}

/** UTF-8 of `{}`, the data of most sessions: shared, never written to. */
const EMPTY_OBJECT_JSON = '{}';
const EMPTY_OBJECT_BYTES = Buffer.from(EMPTY_OBJECT_JSON, 'utf8');

/**
 * Prototype of session data objects: empty and prototype-less, so a key such as `toString` or
 * `constructor` is never found on the chain (as with `Object.create(null)`), while each data object
 * stays a fast-mode object with room for four keys inside it. V8 makes an `Object.create(null)` object
 * a dictionary (~250 B with its property table) where this one takes ~50 B, and every session stores at
 * least `ipversion` at its handshake: idle connections take ~200 B less each.
 */
const VALUES_PROTOTYPE = Object.create(null) as object;
const newValues = (): Record<string, unknown> => ({ __proto__: VALUES_PROTOTYPE }) as Record<string, unknown>;

/** Data handling shared by frontend and backend sessions. */
export abstract class SessionData {
  private values: Record<string, unknown> = newValues();
  private encoded: string | undefined = EMPTY_OBJECT_JSON;
  // The UTF-8 bytes of `bytesOf` (the last encodedData() they were made from): a forwarded request carries
  // them, and most sessions' data does not change between requests.
  private bytes: Buffer = EMPTY_OBJECT_BYTES;
  private bytesOf: string = EMPTY_OBJECT_JSON;

  get<T = unknown>(key: string): T | undefined {
    return this.values[key] as T | undefined;
  }

  set(key: string, value: unknown): void {
    if (isForbiddenKey(key)) throw new Error(`session data key "${key}" is not allowed`);
    this.values[key] = value;
    this.encoded = undefined;
  }

  has(key: string): boolean {
    return key in this.values;
  }

  remove(key: string): void {
    delete this.values[key];
    this.encoded = undefined;
  }

  clear(): void {
    this.values = newValues();
    this.encoded = EMPTY_OBJECT_JSON;
  }

  data(): Record<string, unknown> {
    return { ...this.values };
  }

  setData(data: Record<string, unknown>): void {
    assertNoForbiddenKeys(data);
    this.values = Object.assign(newValues(), data);
    this.encoded = undefined;
  }

  encodedData(): string {
    // Encoded lazily: Pitaya re-encodes on every mutation, though most sessions never leave the frontend.
    this.encoded ??= JSON.stringify(this.values, (_k, v: unknown) =>
      v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : v,
    );
    return this.encoded;
  }

  /**
   * {@link encodedData} as UTF-8 bytes, made once per change of the data (the cache follows
   * `encodedData()`, so every mutation invalidates it). Shared: callers must not write into it.
   * @internal For the cluster's forwarding path.
   */
  encodedDataBytes(): Buffer {
    const text = this.encodedData();
    if (text !== this.bytesOf) {
      this.bytes = text === EMPTY_OBJECT_JSON ? EMPTY_OBJECT_BYTES : Buffer.from(text, 'utf8');
      this.bytesOf = text;
    }
    return this.bytes;
  }

  setEncodedData(json: string | Uint8Array): void {
    if (typeof json !== 'string' && json.length === 2 && json[0] === 0x7b && json[1] === 0x7d) {
      // `{}`, what every forwarded request of a session without data carries: nothing to parse.
      this.values = newValues();
      this.encoded = EMPTY_OBJECT_JSON;
      return;
    }
    const text = typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8');
    if (text.length === 0) return;
    const parsed = parseUntrustedJson(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('session data must be a JSON object');
    }
    this.values = Object.assign(newValues(), parsed);
    this.encoded = text;
  }
}
