import type { HandshakeRequest } from '@pitaya-ts/protocol';
import type { PitayaError } from '../errors/pitaya-error';
import { SessionData, type Session } from './session';

/** What a frontend session needs from its connection; implemented by the agent. */
export interface SessionLink {
  readonly remoteAddress: string;
  readonly closed: boolean;
  /** Serializes and sends a push; throws PIT-499 when the connection is gone. */
  pushMessage(route: string, body: unknown): void;
  /** Sends an already framed packet (broadcasts frame once for every recipient); false when it was not sent. */
  send(packet: Uint8Array): boolean;
  /** Sends already framed packets in order, in one write where the transport can; false when none was sent. */
  sendMany(packets: readonly Uint8Array[]): boolean;
  /** Sends the kick packet, then closes. */
  kick(): void;
  /** Closes the connection (flushing what is queued). */
  close(reason: string): void;
  /** Stops reading for good; what was read is still handled (shutdown). */
  stopReading?(): void;
  /** Answers every request read but not answered yet with `error`; returns how many (shutdown timeout). */
  abandonRequests?(error: PitayaError): number;
}

/** How a frontend session reaches its pool (bind and close bookkeeping). */
export interface SessionRegistry {
  bind(session: FrontendSession, uid: string): Promise<void>;
}

type CloseCallback = () => void | Promise<void>;
const DONE: Promise<void> = Promise.resolve();

/** The session of a connection on this frontend. Created by the {@link SessionPool}. */
export class FrontendSession extends SessionData implements Session {
  readonly isFrontend = true;
  uid: string | undefined = undefined;
  handshake: HandshakeRequest | undefined = undefined;
  /** Remote requests in flight (forwarded to backends); shutdown waits for them. */
  requestsInFlight = 0;
  private closeCallbacks: CloseCallback[] | undefined;

  constructor(
    readonly id: number,
    readonly frontendId: string,
    private readonly link: SessionLink,
    private readonly registry: SessionRegistry,
  ) {
    super();
  }

  get frontendSessionId(): number {
    return this.id;
  }

  get remoteAddress(): string {
    return this.link.remoteAddress;
  }

  /** True once the connection is closed. */
  get closed(): boolean {
    return this.link.closed;
  }

  bind(uid: string): Promise<void> {
    return this.registry.bind(this, uid);
  }

  push(route: string, body: unknown): Promise<void> {
    try {
      this.link.pushMessage(route, body);
      return DONE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends an already framed packet; false when the connection is gone or too slow. */
  sendPacket(packet: Uint8Array): boolean {
    return this.link.send(packet);
  }

  /**
   * Sends already framed packets in order (a run of pushes to the same members): one write where
   * the transport can, framed once for every member handed the same array. False when the
   * connection is gone or too slow; then none was sent.
   */
  sendPackets(packets: readonly Uint8Array[]): boolean {
    return this.link.sendMany(packets);
  }

  kick(): Promise<void> {
    this.link.kick();
    return DONE;
  }

  pushToFront(): Promise<void> {
    return Promise.reject(new Error("frontend session can't push to front"));
  }

  onClose(callback: CloseCallback): void {
    (this.closeCallbacks ??= []).push(callback);
  }

  /** Closes the connection. */
  close(reason = 'closed by server'): void {
    this.link.close(reason);
  }

  /** Stops reading the connection for good; requests already read are still answered. @internal */
  stopReading(): void {
    this.link.stopReading?.();
  }

  /** Answers the requests read but not answered yet with `error`; returns how many. @internal */
  abandonRequests(error: PitayaError): number {
    return this.link.abandonRequests?.(error) ?? 0;
  }

  /** The session's own close callbacks, taken once (the pool runs them). */
  takeCloseCallbacks(): CloseCallback[] {
    const callbacks = this.closeCallbacks ?? [];
    this.closeCallbacks = undefined;
    return callbacks;
  }
}
