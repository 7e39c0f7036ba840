import { createLogger, Pitaya } from '@pitaya-ts/core';
import { encodeMessage, MessageType, PacketType, utf8Encode } from '@pitaya-ts/protocol';
import { BenchModule } from '../servers/bench-module';
import { broadcastPayload, joinPayload, padding } from '../wire/payloads';
import { SinkAcceptor } from './sink-acceptor';

/**
 * The framework's own CPU per broadcast, without sockets: scenario B's 200 rooms of 10 on the bench
 * app behind in-memory connections (notify decode, dispatcher, the `send` handler, the memory group,
 * the user messenger, one push framed once and handed to each member's connection; no syscall, no
 * `ws`). The B rows on sockets move by ±10 % with the host; this does not: run it before and after a
 * change to the broadcast path, several times, and compare the minimum.
 * `node apps/bench/dist/tools/in-process-broadcast.js [broadcasts per round] [room size]`.
 */
async function main(): Promise<void> {
  const perRound = Number(process.argv[2] ?? 40_000);
  const roomSize = Number(process.argv[3] ?? 10);
  const rooms = Math.max(1, Math.floor(2000 / roomSize));
  const acceptor = new SinkAcceptor(rooms * roomSize);
  const app = await Pitaya.create(BenchModule, {
    serverType: 'connector', frontend: true, acceptors: [acceptor], config: { heartbeat: { interval: '60s' } }, logger: createLogger({ level: 'error' }), env: {},
  });
  await app.start();
  const handshake = utf8Encode(JSON.stringify({ sys: { type: 'bench', version: '1' }, user: {} }));
  const connections = acceptor.connections;
  const written = (): number => connections.reduce((sum, c) => sum + c.written, 0);
  /** Lets the handlers' promises settle until `expected` writes have happened (or throws after 10 s). */
  const settle = async (expected: number): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (written() < expected) {
      if (Date.now() > deadline) throw new Error(`only ${written()} of ${expected} writes happened`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  connections.forEach((c, i) => {
    c.handler!.onPacket(PacketType.Handshake, handshake);
    c.handler!.onPacket(PacketType.HandshakeAck, new Uint8Array(0));
    const join = encodeMessage({ type: MessageType.Request, id: 1, route: 'connector.bench.join', data: joinPayload(`room-${Math.floor(i / roomSize)}`, `u${i}`) });
    c.handler!.onPacket(PacketType.Data, join);
  });
  await settle(2 * connections.length); // handshake response + join reply each
  const pad = padding(128);
  // One sender per room (its last member), the same body every time: the handler parses it anyway.
  const senders = Array.from({ length: rooms }, (_, r) => ({
    connection: connections[r * roomSize + roomSize - 1]!,
    packet: encodeMessage({ type: MessageType.Notify, route: 'connector.bench.send', data: broadcastPayload(1, `room-${r}`, 128, pad) }),
  }));
  const run = async (n: number): Promise<void> => {
    const target = written() + n * roomSize;
    for (let i = 0; i < n; i++) {
      const s = senders[i % rooms]!;
      s.connection.handler!.onPacket(PacketType.Data, s.packet);
    }
    await settle(target);
  };
  await run(20_000); // warm-up: JIT, pools
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const cpu = process.cpuUsage();
    await run(perRound);
    const used = process.cpuUsage(cpu);
    rounds.push(((used.user + used.system) * 1000) / perRound);
  }
  rounds.sort((a, b) => a - b);
  console.log(`in-process broadcast (${rooms} rooms of ${roomSize}, 128 B): ${rounds[0]!.toFixed(0)} ns/broadcast min, ${rounds[2]!.toFixed(0)} median of 5 rounds`);
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
