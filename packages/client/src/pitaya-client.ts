import {
  ErrorCode,
  HANDSHAKE_ACK_PACKET,
  HEARTBEAT_PACKET,
  type HandshakeResponse,
  type Message,
  MessageType,
  PacketType,
  ProtocolError,
  RouteDictionary,
  decodeHandshakeResponse,
  decodeMessage,
  deflate,
  encodeHandshakeRequest,
  encodeMessagePacket,
  encodePacket,
  inflate,
} from '@pitaya-ts/protocol';
import { ClientError, clientErrorFromPayload } from './client-error';
import { type ClientOptions, type ResolvedClientOptions, resolveOptions } from './client-options';
import { Heartbeat } from './heartbeat';
import { Listeners } from './listeners';
import { decodeBody, encodeBody } from './payload-codec';
import type { Transport, TransportHandlers, TransportOpener } from './transport/transport';
import type { TypedPitayaClient } from './typed-client';
import { type WebSocketConstructorLike, openWebSocketTransport } from './transport/websocket-transport';

interface Pending {
  resolve(value: unknown): void;
  reject(error: ClientError): void;
  timer: ReturnType<typeof setTimeout>;
}

type State = 'connecting' | 'open' | 'closed';

/**
 * A Pitaya client: handshake, requests, notifies, pushes, heartbeats, kicks. Browser-safe; the
 * `@pitaya-ts/client/node` entry adds TCP/TLS and defaults WebSocket to the `ws` package.
 */
export class PitayaClient {
  /** The server's handshake response (code 200). */
  get handshake(): HandshakeResponse {
    if (!this.#handshake) throw new Error('not connected yet');
    return this.#handshake;
  }

  readonly #options: ResolvedClientOptions;
  #state: State = 'connecting';
  #transport: Transport | undefined;
  #handshake: HandshakeResponse | undefined;
  #dictionary = new RouteDictionary();
  #heartbeat: Heartbeat | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #pushListeners = new Map<string, Listeners<[body: unknown]>>();
  readonly #anyPushListeners = new Listeners<[route: string, body: unknown]>();
  readonly #kickListeners = new Listeners<[]>();
  readonly #closeListeners = new Listeners<[reason: string]>();
  #connecting: { resolve(): void; reject(e: Error): void } | undefined;

  /** Use {@link PitayaClient.connect}. */
  protected constructor(options: ClientOptions) {
    this.#options = resolveOptions(options);
  }

  /**
   * Connects (`ws://`, `wss://`; the node entry adds `tcp://host:port` and `tls://host:port`), performs
   * the handshake and acknowledges it. Rejects if the server answers a code other than 200, or on timeout.
   */
  static connect(url: string, options: ClientOptions = {}): Promise<PitayaClient> {
    const client = new this(options); // `this`: the node entry's subclass when called through it
    return client.#connect((handlers, signal) => this.openTransport(url, options, handlers, signal));
  }

  /** Picks the transport for `url`; the node entry overrides it. */
  protected static openTransport(
    url: string,
    options: ClientOptions,
    handlers: TransportHandlers,
    signal: AbortSignal,
  ): Promise<Transport> {
    const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
    if (scheme !== 'ws' && scheme !== 'wss') {
      throw new Error(`unsupported URL "${url}": use ws:// or wss:// (tcp:// and tls:// need @pitaya-ts/client/node)`);
    }
    const WebSocketImpl =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
    if (!WebSocketImpl) throw new Error('no WebSocket implementation: pass options.WebSocket');
    return openWebSocketTransport(url, WebSocketImpl, handlers, signal);
  }

  /** This client itself: lets a {@link TypedPitayaClient} hand out its untyped side. */
  get untyped(): PitayaClient {
    return this;
  }

  /** True between a successful handshake and close. */
  get connected(): boolean {
    return this.#state === 'open';
  }

  /**
   * Sends a Request and resolves with the decoded response. Rejects with a {@link ClientError}: the
   * server's code/msg/metadata on an error response, `PIT-504` on timeout, `PIT-499` when closed.
   */
  request<T = unknown>(route: string, body?: unknown): Promise<T> {
    if (this.#state !== 'open') return Promise.reject(this.#closedError());
    const id = this.#nextId++;
    let packet: Uint8Array;
    try {
      packet = this.#encode(MessageType.Request, route, body, id);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ClientError(ErrorCode.ClientTimeout, `request timeout: ${route}`, { route }));
      }, this.#options.requestTimeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.#send(packet);
    });
  }

  /** Sends a Notify (no response). Throws a `PIT-499` {@link ClientError} when not connected. */
  notify(route: string, body?: unknown): void {
    if (this.#state !== 'open') throw this.#closedError();
    this.#send(this.#encode(MessageType.Notify, route, body, 0));
  }

  /** Listens to pushes on `route`; returns the unsubscribe function. */
  on(route: string, listener: (body: unknown) => void): () => void {
    let listeners = this.#pushListeners.get(route);
    if (!listeners) this.#pushListeners.set(route, (listeners = new Listeners()));
    return listeners.add(listener);
  }

  /** Listens to every push whatever its route (tools such as a REPL); returns the unsubscribe function. */
  onAnyPush(listener: (route: string, body: unknown) => void): () => void {
    return this.#anyPushListeners.add(listener);
  }

  /** Called when the server kicks this client (before the close listeners). */
  onKick(listener: () => void): () => void {
    return this.#kickListeners.add(listener);
  }

  /** Called once when the connection closes, with the reason. */
  onClose(listener: (reason: string) => void): () => void {
    return this.#closeListeners.add(listener);
  }

  /** Closes the connection; pending requests reject with `PIT-499`. Idempotent. */
  async close(): Promise<void> {
    this.#shutdown('closed by client');
    await this.#transport?.close();
  }

  async #connect(open: TransportOpener): Promise<PitayaClient> {
    const abort = new AbortController();
    const handshaken = new Promise<void>((resolve, reject) => (this.#connecting = { resolve, reject }));
    const timer = setTimeout(() => {
      abort.abort();
      const message = `connect timeout after ${this.#options.connectTimeoutMs} ms`;
      this.#settleConnect(new ClientError(ErrorCode.ClientTimeout, message));
      this.#shutdown('connect timeout');
    }, this.#options.connectTimeoutMs);
    const handlers: TransportHandlers = {
      onPacket: (type, body) => this.#onPacket(type, body),
      onClose: (reason) => this.#shutdown(reason),
    };
    new Promise<Transport>((resolve) => resolve(open(handlers, abort.signal))).then(
      (transport) => {
        this.#transport = transport;
        if (this.#state === 'closed') return void transport.close();
        const { sys, user } = this.#options.handshake;
        this.#send(encodePacket(PacketType.Handshake, encodeHandshakeRequest(user ? { sys, user } : { sys })));
      },
      (e: unknown) => {
        this.#settleConnect(e instanceof Error ? e : new Error(String(e)));
        this.#shutdown('connect failed');
      },
    );
    try {
      await handshaken;
      return this;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves (no error) or rejects the pending `connect`, once. */
  #settleConnect(error?: Error): void {
    const waiter = this.#connecting;
    this.#connecting = undefined;
    if (error) waiter?.reject(error);
    else waiter?.resolve();
  }

  #onPacket(type: PacketType, body: Uint8Array): void {
    if (this.#state === 'closed') return;
    this.#heartbeat?.touch();
    try {
      if (type === PacketType.Data && this.#state === 'open') {
        this.#onMessage(decodeMessage(body, this.#dictionary));
      } else if (type === PacketType.Handshake && this.#state === 'connecting') this.#onHandshake(body);
      else if (type === PacketType.Kick) this.#onKick();
      // Heartbeats only refresh liveness; anything else is ignored like the Go client does.
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      this.#settleConnect(e);
      this.#shutdown(`protocol error: ${e.message}`);
    }
  }

  #onHandshake(body: Uint8Array): void {
    const res = decodeHandshakeResponse(body);
    if (res.code !== 200) {
      const code = `PIT-${String(res.code).padStart(3, '0')}`;
      this.#settleConnect(new ClientError(code, `handshake refused by the server (code ${res.code})`));
      this.#shutdown(`handshake refused (code ${res.code})`);
      return;
    }
    this.#dictionary = new RouteDictionary(res.sys.dict);
    this.#handshake = res;
    this.#send(HANDSHAKE_ACK_PACKET);
    if (this.#state !== 'connecting') return; // the send failed
    this.#state = 'open';
    const intervalMs = res.sys.heartbeat * 1000;
    if (intervalMs > 0 && Number.isFinite(intervalMs)) {
      const beat = (): void => this.#send(HEARTBEAT_PACKET);
      this.#heartbeat = new Heartbeat(intervalMs, beat, () => this.#shutdown('heartbeat timeout'));
      this.#heartbeat.start();
    }
    this.#settleConnect();
  }

  #onMessage(m: Message): void {
    if (m.type === MessageType.Response) {
      const pending = this.#pending.get(m.id);
      if (!pending) return; // timed out already
      this.#pending.delete(m.id);
      clearTimeout(pending.timer);
      let data: Uint8Array;
      try {
        data = m.compressed ? inflate(m.data) : m.data;
      } catch (e) {
        const message = `bad compressed response: ${(e as Error).message}`;
        return pending.reject(new ClientError(ErrorCode.Unknown, message, {}, { cause: e }));
      }
      if (m.error) pending.reject(clientErrorFromPayload(data));
      else pending.resolve(decodeBody(data, this.#options.encoding));
    } else if (m.type === MessageType.Push) {
      const listeners = this.#pushListeners.get(m.route);
      const any = this.#anyPushListeners.size > 0;
      if (!any && (!listeners || listeners.size === 0)) return;
      const body = decodeBody(m.compressed ? inflate(m.data) : m.data, this.#options.encoding);
      listeners?.emit(body);
      if (any) this.#anyPushListeners.emit(m.route, body);
    }
  }

  #onKick(): void {
    this.#kickListeners.emit();
    this.#shutdown('kicked by server');
  }

  #encode(type: MessageType, route: string, body: unknown, id: number): Uint8Array {
    let data = encodeBody(body, this.#options.encoding);
    let compressed = false;
    if (this.#options.compressRequests && data.length > 0) {
      const z = deflate(data);
      if (z.length < data.length) [data, compressed] = [z, true];
    }
    return encodeMessagePacket({ type, id, route, data, compressed }, this.#dictionary);
  }

  #send(packet: Uint8Array): void {
    if (!this.#transport || this.#state === 'closed') return;
    try {
      this.#transport.send(packet);
    } catch (e) {
      this.#shutdown(`send failed: ${(e as Error).message}`);
    }
  }

  #shutdown(reason: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#heartbeat?.stop();
    this.#settleConnect(new ClientError(ErrorCode.ClientClosedRequest, `connection closed: ${reason}`));
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(new ClientError(ErrorCode.ClientClosedRequest, `connection closed: ${reason}`));
    }
    this.#pending.clear();
    void this.#transport?.close();
    this.#closeListeners.emit(reason);
  }

  #closedError(): ClientError {
    return new ClientError(ErrorCode.ClientClosedRequest, 'connection closed');
  }
}
