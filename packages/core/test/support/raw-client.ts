import * as net from 'node:net';
import { WebSocket } from 'ws';
import {
  decodeFrame, decodeHandshakeResponse, decodeMessage, encodeMessagePacket, encodePacket, HANDSHAKE_ACK_PACKET, MessageType,
  PacketDecoder, PacketType, utf8Encode, type HandshakeResponse, type Message,
} from '@pitaya-ts/protocol';

export interface RawPacket {
  type: PacketType;
  body: Uint8Array;
}

/**
 * A byte-level test client: sends exactly the bytes a test gives it and records every packet the
 * server sends, so tests can assert on the wire.
 */
export class RawClient {
  private readonly packets: RawPacket[] = [];
  private waiters: (() => void)[] = [];
  private nextId = 1;
  closed = false;
  readonly closedPromise: Promise<void>;
  private resolveClosed!: () => void;

  private constructor(private readonly sendBytes: (bytes: Uint8Array) => void, private readonly end: () => void) {
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  static tcp(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const client = new RawClient((b) => socket.write(b), () => socket.destroy());
      const decoder = new PacketDecoder();
      socket.on('data', (chunk) => decoder.push(chunk, (type, body) => client.received({ type, body: Uint8Array.from(body) })));
      socket.on('close', () => client.markClosed());
      socket.on('error', () => undefined);
      socket.once('connect', () => resolve(client));
      socket.once('error', reject);
    });
  }

  static ws(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
      const client = new RawClient((b) => socket.send(b), () => socket.terminate());
      socket.on('message', (data: Buffer) => {
        const packet = decodeFrame(data);
        client.received({ type: packet.type, body: Uint8Array.from(packet.body) });
      });
      socket.on('close', () => client.markClosed());
      socket.on('error', () => undefined);
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  static connect(transport: 'tcp' | 'ws', port: number): Promise<RawClient> {
    return transport === 'tcp' ? RawClient.tcp(port) : RawClient.ws(port);
  }

  send(bytes: Uint8Array): void {
    this.sendBytes(bytes);
  }

  close(): void {
    this.end();
  }

  /** Handshake + ack; resolves with the server's handshake response. */
  async handshake(body: unknown = { sys: { platform: 'test', libVersion: '1', clientBuildNumber: '1', clientVersion: '1' } }): Promise<HandshakeResponse> {
    this.send(encodePacket(PacketType.Handshake, utf8Encode(JSON.stringify(body))));
    const packet = await this.nextPacket();
    if (packet.type !== PacketType.Handshake) throw new Error(`expected a handshake response, got packet type ${packet.type}`);
    const response = decodeHandshakeResponse(packet.body);
    if (response.code === 200) this.send(HANDSHAKE_ACK_PACKET);
    return response;
  }

  /** Sends a request and returns its id. */
  sendRequest(route: string, body: unknown, id = this.nextId++): number {
    const data = body instanceof Uint8Array ? body : utf8Encode(JSON.stringify(body));
    this.send(encodeMessagePacket({ type: MessageType.Request, id, route, data }));
    return id;
  }

  sendNotify(route: string, body: unknown): void {
    const data = body instanceof Uint8Array ? body : utf8Encode(JSON.stringify(body));
    this.send(encodeMessagePacket({ type: MessageType.Notify, route, data }));
  }

  /** Request and wait for its response message. */
  async request(route: string, body: unknown = {}): Promise<Message> {
    const id = this.sendRequest(route, body);
    return this.nextMessage((m) => m.type === MessageType.Response && m.id === id);
  }

  /** The next packet (skipping heartbeats unless asked for), removed from the queue. */
  async nextPacket(options: { timeoutMs?: number; includeHeartbeats?: boolean } = {}): Promise<RawPacket> {
    return this.take((p) => options.includeHeartbeats === true || p.type !== PacketType.Heartbeat, options.timeoutMs ?? 3000);
  }

  /** The next data message matching `predicate`. */
  async nextMessage(predicate: (m: Message) => boolean = () => true, timeoutMs = 3000): Promise<Message> {
    const packet = await this.take((p) => p.type === PacketType.Data && predicate(decodeMessage(p.body)), timeoutMs);
    return decodeMessage(packet.body);
  }

  /** Resolves with every packet received within `ms`. */
  async collect(ms: number): Promise<RawPacket[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.packets.splice(0);
  }

  async waitClosed(timeoutMs = 3000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.closedPromise,
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('connection was not closed')), timeoutMs))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async take(predicate: (p: RawPacket) => boolean, timeoutMs: number): Promise<RawPacket> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.packets.findIndex(predicate);
      if (index >= 0) return this.packets.splice(index, 1)[0]!;
      if (this.closed) throw new Error('connection closed while waiting for a packet');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a packet');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private received(packet: RawPacket): void {
    this.packets.push(packet);
    this.wake();
  }

  private markClosed(): void {
    this.closed = true;
    this.resolveClosed();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

export function json(message: Message): unknown {
  return JSON.parse(Buffer.from(message.data).toString('utf8'));
}
