import * as net from 'node:net';
import { WebSocket, type RawData } from 'ws';
import {
  decodeFrame, decodeHandshakeResponse, decodeMessage, encodeHandshakeRequest, encodePacket, HANDSHAKE_ACK_PACKET,
  MessageType, PacketDecoder, PacketType,
} from '@pitaya-ts/protocol';
import type { Endpoint } from './endpoint';
import { WireRequest, type RequestTemplate } from './request-template';
import { encodeClientFrame, readUpgradeResponse, ServerFrameReader, upgradeRequest } from './ws-frames';

/**
 * What a connection reports once the handshake is done. `data` is a view into a read buffer that
 * the next read overwrites: use it during the call, copy it to keep it.
 */
export interface ConnectionListener {
  onResponse(id: number, data: Uint8Array, error: boolean): void;
  onPush(route: string, data: Uint8Array): void;
  onClose(): void;
}

const NOOP_LISTENER: ConnectionListener = { onResponse: () => undefined, onPush: () => undefined, onClose: () => undefined };

/** `sys.type`/`sys.version` are what pomelo clients send; Pitaya ignores them, pinus wants `sys` present. */
export const HANDSHAKE_PACKET = encodePacket(
  PacketType.Handshake,
  encodeHandshakeRequest({ sys: { platform: 'bench', libVersion: '0.1.0', clientBuildNumber: '1', clientVersion: '0.1.0', type: 'bench', version: '0.1.0' } }),
);

/** An all-zero masking key is legal (RFC 6455 §5.3) and lets `ws` skip masking: client CPU goes to the load. */
function zeroMask(mask: Uint8Array): void {
  mask.fill(0);
}

interface RawSocket {
  /** One whole packet (framed here if the transport needs it). */
  write(packet: Uint8Array): void;
  /** Bytes already in the transport's wire format (see {@link WireRequest}). */
  writeWire(bytes: Uint8Array): void;
  destroy(): void;
  readonly bufferedBytes: number;
}

/**
 * One read buffer for every raw socket of the process (`net.connect`'s `onread`): reads need no
 * Buffer allocation and no stream 'data' machinery. Safe because every read is consumed
 * synchronously: the frame reader and `PacketDecoder` copy whatever they keep across reads, and
 * listeners must not keep the views they are given.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Flag byte of a Pitaya message: type in bits 1..3, error in 0x20. */
const RESPONSE_TYPE = MessageType.Response;
const ERROR_FLAG = 0x20;

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
        if (endpoint.transport === 'tcp') connection.socket = connection.openTcp(endpoint);
        else if (endpoint.wsClient === 'ws-library') connection.socket = connection.openWsLibrary(endpoint);
        else {
          (connection as { framesRequests: boolean }).framesRequests = true;
          connection.socket = connection.openWsRaw(endpoint);
        }
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

  /** True when requests go out as pre-built WebSocket frames (the raw client), false when as bare packets. */
  readonly framesRequests: boolean = false;

  /** `template` in this connection's wire format; every connection of one endpoint shares the format. */
  wireRequest(template: RequestTemplate): WireRequest {
    return new WireRequest(template, this.framesRequests);
  }

  /** Sends bytes built by this connection's {@link wireRequest}; dropped silently once closed. */
  sendWire(bytes: Uint8Array): void {
    if (!this.closed) this.socket?.writeWire(bytes);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket?.destroy();
    this.onHandshake?.(new Error('connection closed during the handshake'));
    this.listener.onClose();
  }

  private openWsLibrary(endpoint: Endpoint): RawSocket {
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
      writeWire: (packet) => ws.send(packet, { binary: true }),
      destroy: () => ws.terminate(),
      get bufferedBytes() {
        return ws.bufferedAmount;
      },
    };
  }

  private openTcp(endpoint: Endpoint): RawSocket {
    const decoder = new PacketDecoder();
    const onPacket = (type: PacketType, body: Uint8Array): void => this.onPacket(type, body);
    const socket = net.connect({
      host: endpoint.host, port: endpoint.port, noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number) => {
          try {
            decoder.push(READ_BUFFER.subarray(0, bytes), onPacket);
          } catch {
            this.close();
          }
          return true;
        },
      },
    });
    socket.on('connect', () => socket.write(HANDSHAKE_PACKET));
    socket.on('error', (error: Error) => {
      this.onHandshake?.(error);
      this.close();
    });
    socket.on('close', () => this.close());
    return {
      write: (packet) => void socket.write(packet),
      writeWire: (packet) => void socket.write(packet),
      destroy: () => socket.destroy(),
      get bufferedBytes() {
        return socket.writableLength;
      },
    };
  }

  /**
   * WebSocket over a raw `net` socket: fixed-key upgrade, masked frames written whole (requests
   * pre-framed by {@link WireRequest}), server frames scanned in place by {@link ServerFrameReader},
   * and the Pitaya packets inside each message decoded without intermediate objects.
   */
  private openWsRaw(endpoint: Endpoint): RawSocket {
    let head: Buffer | undefined = Buffer.alloc(0);
    const reader = new ServerFrameReader({
      onMessage: (payload) => this.onWsMessage(payload),
      onPing: (payload) => void socket.write(encodeClientFrame(payload, 0xa)),
      onClose: () => this.close(),
    });
    const onRead = (chunk: Buffer): void => {
      try {
        if (head !== undefined) {
          // The upgrade response is copied: `chunk` is the shared read buffer.
          head = Buffer.concat([head, chunk]);
          const rest = readUpgradeResponse(head);
          if (rest === undefined) return;
          head = undefined;
          socket.write(encodeClientFrame(HANDSHAKE_PACKET));
          if (rest.length === 0) return;
          chunk = rest;
        }
        reader.push(chunk);
      } catch (error) {
        this.onHandshake?.(error as Error);
        this.close();
      }
    };
    const socket = net.connect({
      host: endpoint.host, port: endpoint.port, noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (bytes: number) => (onRead(READ_BUFFER.subarray(0, bytes)), true) },
    });
    socket.on('connect', () => socket.write(upgradeRequest(endpoint.host, endpoint.port)));
    socket.on('error', (error: Error) => {
      this.onHandshake?.(error);
      this.close();
    });
    socket.on('close', () => this.close());
    return {
      write: (packet) => void socket.write(encodeClientFrame(packet)),
      writeWire: (bytes) => void socket.write(bytes),
      destroy: () => socket.destroy(),
      get bufferedBytes() {
        return socket.writableLength;
      },
    };
  }

  /** The Pitaya packets of one WebSocket message (one per message in practice; several are accepted, a split one is not). */
  private onWsMessage(payload: Uint8Array): void {
    const n = payload.length;
    let off = 0;
    while (off < n && !this.closed) {
      if (n - off < 4) throw new Error('truncated packet header in a WebSocket message');
      const length = (payload[off + 1]! << 16) | (payload[off + 2]! << 8) | payload[off + 3]!;
      const start = off + 4;
      if (n - start < length) throw new Error('packet longer than its WebSocket message');
      this.onPacket(payload[off] as PacketType, payload.subarray(start, start + length));
      off = start + length;
    }
  }

  private onPacket(type: PacketType, body: Uint8Array): void {
    switch (type) {
      case PacketType.Data: {
        const flag = body[0];
        if (flag !== undefined && ((flag >> 1) & 0x07) === RESPONSE_TYPE) {
          // Responses are the hot path of every echo row: read the varint id in place, no message object.
          let id = 0;
          let shift = 0;
          let at = 1;
          for (;;) {
            const b = body[at++];
            if (b === undefined || shift > 28) throw new Error('bad response id');
            id += (b & 0x7f) * 2 ** shift;
            if (b < 0x80) break;
            shift += 7;
          }
          this.listener.onResponse(id, body.subarray(at), (flag & ERROR_FLAG) !== 0);
          return;
        }
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
