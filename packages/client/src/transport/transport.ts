import type { PacketType } from '@pitaya-ts/protocol';

/** What a transport reports to the client. */
export interface TransportHandlers {
  /** One decoded packet. `body` may be a view valid only during the call. */
  onPacket(type: PacketType, body: Uint8Array): void;
  /** Called exactly once after the transport opened, whoever closed the connection. */
  onClose(reason: string): void;
}

/** A connected byte pipe carrying whole packets. */
export interface Transport {
  /** Sends one complete packet (header included). Throws when the connection is not open. */
  send(packet: Uint8Array): void;
  /** Closes; resolves once closed. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens a transport; resolves once it can send, rejects if it cannot open. Aborting `signal` before it
 * resolves tears the attempt down and rejects.
 */
export type TransportOpener = (handlers: TransportHandlers, signal: AbortSignal) => Promise<Transport>;
