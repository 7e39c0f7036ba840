import * as net from 'node:net';
import {
  decodeMessage, encodeMessagePacket, encodePacket, HANDSHAKE_ACK_PACKET, HEARTBEAT_PACKET, MessageType, PacketDecoder, PacketType, utf8Encode,
} from '@pitaya-ts/protocol';

/**
 * A well-behaved client that keeps asking for an echo while the server is attacked: every request
 * must be answered within `timeoutMs`. Answers heartbeats like a real client.
 */
export class Bystander {
  sent = 0;
  answered = 0;
  failures = 0;
  closedUnexpectedly = false;
  private readonly pending = new Map<number, NodeJS.Timeout>();
  private nextId = 1;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  private constructor(private readonly socket: net.Socket, private readonly timeoutMs: number) {}

  static connect(port: number, periodMs = 250, timeoutMs = 5000): Promise<Bystander> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const b = new Bystander(socket, timeoutMs);
      const decoder = new PacketDecoder();
      socket.on('data', (chunk) =>
        decoder.push(chunk, (type, body) => {
          if (type === PacketType.Handshake) {
            socket.write(HANDSHAKE_ACK_PACKET);
            b.timer = setInterval(() => b.ask(), periodMs);
            resolve(b);
          } else if (type === PacketType.Heartbeat) {
            socket.write(HEARTBEAT_PACKET);
          } else if (type === PacketType.Data) {
            const m = decodeMessage(body);
            const t = b.pending.get(m.id);
            if (t) {
              clearTimeout(t);
              b.pending.delete(m.id);
              if (m.error) b.failures++;
              else b.answered++;
            }
          }
        }),
      );
      socket.on('error', reject);
      socket.on('close', () => {
        if (!b.stopping) b.closedUnexpectedly = true;
      });
      socket.write(encodePacket(PacketType.Handshake, utf8Encode('{"sys":{"platform":"bystander","libVersion":"1"}}')));
    });
  }

  private ask(): void {
    const id = this.nextId++;
    this.sent++;
    this.socket.write(encodeMessagePacket({ type: MessageType.Request, id, route: 'connector.room.echo', data: utf8Encode(`{"n":${id}}`) }));
    this.pending.set(id, setTimeout(() => {
      this.pending.delete(id);
      this.failures++;
    }, this.timeoutMs));
  }

  stop(): void {
    this.stopping = true;
    clearInterval(this.timer);
    for (const t of this.pending.values()) clearTimeout(t);
    this.socket.destroy();
  }
}
