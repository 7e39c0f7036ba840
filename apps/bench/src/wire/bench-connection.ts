import * as net from 'node:net';
import { WebSocket, type RawData } from 'ws';
import {
  decodeFrame, decodeHandshakeResponse, decodeMessage, encodeHandshakeRequest, encodePacket, HANDSHAKE_ACK_PACKET,
  MessageType, PacketDecoder, PacketType,
} from '@pitaya-ts/protocol';
import type { Endpoint } from './endpoint';

/** What a connection reports once the handshake is done. */
export interface ConnectionListener {
  onResponse(id: number, data: Uint8Array, error: boolean): void;
  onPush(route: string, data: Uint8Array): void;
  onClose(): void;
}

const NOOP_LISTENER: ConnectionListener = { onResponse: () => undefined, onPush: () => undefined, onClose: () => undefined };

/** `sys.type`/`sys.version` are what pomelo clients send; Pitaya ignores them, pinus wants `sys` present. */
const HANDSHAKE_PACKET = encodePacket(
  PacketType.Handshake,
  encodeHandshakeRequest({ sys: { platform: 'bench', libVersion: '0.1.0', clientBuildNumber: '1', clientVersion: '0.1.0', type: 'bench', version: '0.1.0' } }),
);

/** An all-zero masking key is legal (RFC 6455 §5.3) and lets `ws` skip masking: client CPU goes to the load. */
function zeroMask(mask: Uint8Array): void {
  mask.fill(0);
}

interface RawSocket {
  write(packet: Uint8Array): void;
  destroy(): void;
  readonly bufferedBytes: number;
}

/**
 * One benchmark client: connects over WebSocket or TCP, does the Pitaya handshake (handshake →
 * response 200 → handshake ack), then reports responses and pushes to its listener. Heartbeats
 * are ignored (every target runs with a long heartbeat); a kick or socket error closes it.
 */
export class BenchConnection {
  /** Receives responses and pushes; replace it after `open()`. */
  listener: ConnectionListener = NOOP_LISTENER;
  private socket: RawSocket | undefined;
  private closed = false;
  private onHandshake: ((error?: Error) => void) | undefined;

  private constructor() {}

  /** Connects and completes the handshake within `timeoutMs`, or rejects (and leaves nothing open). */
  static open(endpoint: Endpoint, timeoutMs: number): Promise<BenchConnection> {
    const connection = new BenchConnection();
    return new Promise<BenchConnection>((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error(`handshake timed out after ${timeoutMs} ms`)), timeoutMs);
      const settle = (error?: Error): void => {
        if (connection.onHandshake === undefined) return;
        connection.onHandshake = undefined;
        clearTimeout(timer);
        if (error) {
          connection.close();
          reject(error);
        } else {
          resolve(connection);
        }
      };
      connection.onHandshake = settle;
      try {
        connection.socket = endpoint.transport === 'ws' ? connection.openWs(endpoint) : connection.openTcp(endpoint);
      } catch (error) {
        settle(error as Error);
      }
    });
  }

  /** True until the socket closed or `close()` was called. */
  get isOpen(): boolean {
    return !this.closed;
  }

  /** Bytes accepted by `send` but not yet handed to the kernel. */
  get bufferedBytes(): number {
    return this.socket?.bufferedBytes ?? 0;
  }

  /** Sends one whole packet; dropped silently once closed (callers count on their own ledger). */
  send(packet: Uint8Array): void {
    if (!this.closed) this.socket?.write(packet);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket?.destroy();
    this.onHandshake?.(new Error('connection closed during the handshake'));
    this.listener.onClose();
  }

  private openWs(endpoint: Endpoint): RawSocket {
    const ws = new WebSocket(`ws://${endpoint.host}:${endpoint.port}/`, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      generateMask: zeroMask,
      handshakeTimeout: 30_000,
    });
    ws.on('open', () => ws.send(HANDSHAKE_PACKET, { binary: true }));
    ws.on('message', (data: RawData) => {
      const frame = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      try {
        const packet = decodeFrame(frame);
        this.onPacket(packet.type, packet.body);
      } catch {
        this.close();
      }
    });
    ws.on('error', (error: Error) => {
      this.onHandshake?.(error);
      this.close();
    });
    ws.on('close', () => this.close());
    return {
      write: (packet) => ws.send(packet, { binary: true }),
      destroy: () => ws.terminate(),
      get bufferedBytes() {
        return ws.bufferedAmount;
      },
    };
  }

  private openTcp(endpoint: Endpoint): RawSocket {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port, noDelay: true });
    const decoder = new PacketDecoder();
    const onPacket = (type: PacketType, body: Uint8Array): void => this.onPacket(type, body);
    socket.on('connect', () => socket.write(HANDSHAKE_PACKET));
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk, onPacket);
      } catch {
        this.close();
      }
    });
    socket.on('error', (error: Error) => {
      this.onHandshake?.(error);
      this.close();
    });
    socket.on('close', () => this.close());
    return {
      write: (packet) => void socket.write(packet),
      destroy: () => socket.destroy(),
      get bufferedBytes() {
        return socket.writableLength;
      },
    };
  }

  private onPacket(type: PacketType, body: Uint8Array): void {
    switch (type) {
      case PacketType.Data: {
        const message = decodeMessage(body);
        if (message.type === MessageType.Response) this.listener.onResponse(message.id, message.data, message.error);
        else if (message.type === MessageType.Push) this.listener.onPush(message.route, message.data);
        return;
      }
      case PacketType.Handshake: {
        const settle = this.onHandshake;
        if (!settle) return;
        let code: number;
        try {
          code = decodeHandshakeResponse(body).code;
        } catch (error) {
          settle(error as Error);
          return;
        }
        if (code !== 200) {
          settle(new Error(`handshake refused with code ${code}`));
          return;
        }
        this.socket?.write(HANDSHAKE_ACK_PACKET);
        settle();
        return;
      }
      case PacketType.Kick:
        this.close();
        return;
      default:
        return; // heartbeats
    }
  }
}
