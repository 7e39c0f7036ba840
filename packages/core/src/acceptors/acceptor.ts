import type { PacketType, ProtocolError } from '@pitaya-ts/protocol';
import type { PitayaConfig } from '../config/pitaya-config';
import type { Logger } from '../logger';
import type { MetricsReporter } from '../metrics/metrics-reporter';
import type { PartialPacketBudget } from './partial-packet-budget';

/** Receives what a connection reads. */
export interface ConnectionHandler {
  /** One complete packet. The body may be a view into a read buffer: copy it to keep it past the call. */
  onPacket(type: PacketType, body: Uint8Array): void;
  /** The client sent bytes that are not the protocol; the connection is being destroyed. */
  onMalformed(error: ProtocolError): void;
  /** The connection is gone (called once, whoever closed it). */
  onClose(reason: string): void;
}

/** One client connection as an acceptor hands it over: packets in, packets out. */
export interface Connection {
  /** `tcp`, `ws`, … (metrics label). */
  readonly transport: string;
  readonly remoteAddress: string;
  /** Bytes written but not yet handed to the operating system. */
  readonly pendingBytes: number;
  /** Starts delivering packets to `handler`. Called once, synchronously after the connection is accepted. */
  setHandler(handler: ConnectionHandler): void;
  /** Sends one complete packet. */
  write(packet: Uint8Array): void;
  /**
   * Sends several complete packets, in order, in one write where the transport can (a frontend
   * delivering a run of cluster pushes to a member). Optional: without it each packet goes through
   * {@link Connection.write}. A fan-out hands every recipient the same array, so an acceptor may
   * frame a run once and reuse it while the same array comes back: neither the array nor its packets
   * change after they are handed over.
   */
  writeMany?(packets: readonly Uint8Array[]): void;
  /** Stops reading (backpressure); packets already read are still delivered. */
  pause(): void;
  resume(): void;
  /** Flushes what is queued, then closes. */
  close(): void;
  /** Closes now, dropping what is queued. */
  destroy(): void;
}

/** Where an acceptor listens, once listening. */
export interface AcceptorAddress {
  readonly host: string;
  readonly port: number;
}

/** What the application gives an acceptor (and its wrappers) when it starts listening. */
export interface AcceptorContext {
  readonly config: PitayaConfig;
  readonly metrics: MetricsReporter;
  readonly log: Logger;
  /** Shared by the application's acceptors; an acceptor without one makes its own from `conn.partialPacketBudget`. */
  readonly partialPackets?: PartialPacketBudget;
}

/**
 * A listener for client connections (TCP, WebSocket, or your own). `listen()` settles on the
 * server's own `listening`/`error` event: start-up never busy-waits (Pitaya issue #488).
 */
export interface Acceptor {
  /** Short label for logs, e.g. `ws:3250`. */
  readonly name: string;
  listen(onConnection: (connection: Connection) => void, context: AcceptorContext): Promise<AcceptorAddress>;
  /** Stops accepting new connections; open ones stay. */
  stopAccepting(): Promise<void>;
  /** Stops accepting and destroys what is still open. */
  close(): Promise<void>;
  /** The bound address after `listen()`. */
  readonly address: AcceptorAddress | undefined;
}
