import { createLogger, Pitaya } from '@pitaya-ts/core';
import { encodeMessage, MessageType, PacketType, utf8Encode } from '@pitaya-ts/protocol';
import { BenchModule } from '../servers/bench-module';
import { echoPayload } from '../wire/payloads';
import { SinkAcceptor } from './sink-acceptor';

const CONNECTIONS = 100;

/**
 * The framework's own CPU per echo, without sockets: the bench app behind an acceptor whose
 * connections are in memory, fed decoded packets in a loop (agent, dispatcher, route invoker,
 * JSON, framing; no syscall, no `ws`). What per-message changes in core and protocol are judged by
 * on a shared machine, where socket rows are too noisy: run it before and after, several times, and
 * compare the minimum. `node apps/bench/dist/tools/in-process-echo.js [messages per round]`.
 */
async function main(): Promise<void> {
  const perRound = Number(process.argv[2] ?? 200_000);
  const acceptor = new SinkAcceptor(CONNECTIONS);
  const app = await Pitaya.create(BenchModule, {
    serverType: 'connector', frontend: true, acceptors: [acceptor], config: { heartbeat: { interval: '60s' } }, logger: createLogger({ level: 'error' }), env: {},
  });
  await app.start();
  const handshake = utf8Encode(JSON.stringify({ sys: { type: 'bench', version: '1' }, user: {} }));
  for (const c of acceptor.connections) {
    c.handler!.onPacket(PacketType.Handshake, handshake);
    c.handler!.onPacket(PacketType.HandshakeAck, new Uint8Array(0));
  }
  const requests = Array.from({ length: 200 }, (_, i) =>
    Buffer.from(encodeMessage({ type: MessageType.Request, id: i + 1, route: 'connector.bench.echo', data: echoPayload(64) })));
  const run = (n: number): void => {
    for (let i = 0; i < n; i++) acceptor.connections[i % CONNECTIONS]!.handler!.onPacket(PacketType.Data, requests[i % requests.length]!);
  };
  const answered = (): number => acceptor.connections.reduce((sum, c) => sum + c.written, 0);
  run(50_000); // warm-up: JIT, pools
  const before = answered();
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const cpu = process.cpuUsage();
    run(perRound);
    const used = process.cpuUsage(cpu);
    rounds.push(((used.user + used.system) * 1000) / perRound);
  }
  if (answered() - before !== 5 * perRound) throw new Error('a request was not answered synchronously');
  rounds.sort((a, b) => a - b);
  console.log(`in-process echo (64 B, ${CONNECTIONS} sessions): ${rounds[0]!.toFixed(0)} ns/message min, ${rounds[2]!.toFixed(0)} median of 5 rounds`);
  await app.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
