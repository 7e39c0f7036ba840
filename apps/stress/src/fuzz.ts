/**
 * `npm run fuzz -- --packets 1e6 [--concurrency 100] [--seed 1] [--snapshot dir]`: sends that many
 * fuzzed and mutated packets over short-lived TCP and WebSocket connections to a server process, while
 * a bystander client keeps being answered. Reports packets sent, crashes, bystander failures, and
 * the server's RSS, heap (after a full GC) and fds before and after; exits non-zero on a crash, a
 * bystander failure or sessions left behind.
 */
import * as net from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { encodeMessagePacket, encodePacket, HANDSHAKE_ACK_PACKET, HEARTBEAT_PACKET, MessageType, PacketType, utf8Encode } from '@pitaya-ts/protocol';
import { Bystander } from './bystander';
import { count, MiB, ServerHandle } from './server-handle';

/** xorshift32: a seeded, reproducible generator (Math.random cannot be seeded). */
class Random {
  constructor(private state: number) {
    if (this.state === 0) this.state = 1;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x100000000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

const HANDSHAKE = encodePacket(PacketType.Handshake, utf8Encode('{"sys":{"platform":"fuzz","libVersion":"1","clientVersion":"1"}}'));
const ROUTES = ['connector.room.join', 'connector.room.echo', 'connector.room.nope', 'room.echo', 'other.svc.x', '', 'a.b'];

function request(r: Random, route: string, data: Uint8Array): Uint8Array {
  return encodeMessagePacket({ type: MessageType.Request, id: 1 + r.int(100_000), route, data });
}

/** One packet (or hostile fragment) of a fuzzing client. */
function packet(r: Random): Uint8Array {
  switch (r.int(14)) {
    case 0: return HANDSHAKE;
    case 1: return HANDSHAKE_ACK_PACKET;
    case 2: return HEARTBEAT_PACKET;
    case 3: return request(r, 'connector.room.join', utf8Encode(`{"uid":"u${r.int(5000)}"}`));
    case 4: return request(r, 'connector.room.echo', utf8Encode(`{"a":${r.int(1000)},"b":"${'x'.repeat(r.int(200))}"}`));
    case 5: return request(r, ROUTES[r.int(ROUTES.length)]!, r.bytes(r.int(64)));
    case 6: return request(r, 'connector.room.echo', utf8Encode('{"\\u005f_proto__":{"polluted":1},"\\u0063onstructor":{"prototype":{}}}'));
    case 7: return encodeMessagePacket({ type: MessageType.Notify, route: ROUTES[r.int(ROUTES.length)]!, data: r.bytes(r.int(32)) });
    case 8: {
      // A valid request with a few bytes flipped.
      const p = Uint8Array.from(request(r, 'connector.room.echo', utf8Encode('{"ok":true}')));
      for (let i = 1 + r.int(3); i > 0; i--) p[r.int(p.length)] = r.int(256);
      return p;
    }
    case 9: {
      // A compressed-flag message whose payload is not zlib, or a small zlib bomb header.
      return encodeMessagePacket({ type: MessageType.Request, id: 1, route: 'connector.room.echo', data: r.bytes(16), compressed: true });
    }
    case 10: return Uint8Array.from([r.int(10), r.int(256), r.int(256), r.int(256)]);
    case 11: {
      // A header announcing more body than is ever sent.
      const n = 1 + r.int(200_000);
      return Uint8Array.from([PacketType.Data, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, ...r.bytes(r.int(32))]);
    }
    case 12: return encodePacket(PacketType.Handshake, r.bytes(r.int(64)));
    default: return r.bytes(1 + r.int(48));
  }
}

/** One connection's script: usually a handshake first, then a random mix. */
function script(r: Random): Uint8Array[] {
  const steps: Uint8Array[] = [];
  if (r.int(4) !== 0) steps.push(HANDSHAKE, HANDSHAKE_ACK_PACKET);
  for (let n = 2 + r.int(40); n > 0; n--) steps.push(packet(r));
  return steps;
}

function tcpRun(port: number, steps: Uint8Array[], r: Random): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const all = Buffer.concat(steps);
      const parts = 1 + r.int(4);
      const size = Math.max(1, Math.ceil(all.length / parts));
      for (let i = 0; i < all.length; i += size) socket.write(all.subarray(i, i + size));
      socket.end();
    });
    const timer = setTimeout(() => socket.destroy(), 10_000);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function wsRun(port: number, steps: Uint8Array[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    const timer = setTimeout(() => socket.terminate(), 10_000);
    socket.on('open', () => {
      for (const s of steps) socket.send(s);
      socket.close();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { packets: { type: 'string' }, concurrency: { type: 'string' }, seed: { type: 'string' }, snapshot: { type: 'string' } } });
  const target = count(values.packets, 200_000);
  const concurrency = count(values.concurrency, 100);
  const seed = count(values.seed, 1);
  const server = await ServerHandle.start(['--handshakeTimeout', '2s']);
  const bystander = await Bystander.connect(server.tcpPort);
  const random = new Random(seed);
  let sent = 0;
  let connections = 0;
  let baseline: Awaited<ReturnType<ServerHandle['stats']>> | undefined;
  const warmup = Math.min(20_000, Math.floor(target / 10));
  const started = Date.now();
  let lastReport = started;
  console.log(`fuzz: ${target} packets, ${concurrency} concurrent connections, seed ${seed}, server pid ${server.pid}`);

  const worker = async (): Promise<void> => {
    while (sent < target && !server.crashed) {
      const r = new Random((seed * 7919 + connections * 104729) >>> 0 || 1);
      connections++;
      const steps = script(r);
      sent += steps.length;
      await (random.int(3) === 0 ? wsRun(server.wsPort, steps) : tcpRun(server.tcpPort, steps, r));
      if (baseline === undefined && sent >= warmup) {
        baseline = { rss: 0, heapUsed: 0, fds: 0, sessions: 0, bound: 0 }; // claimed by this worker; filled below
        baseline = await server.stats();
        if (values.snapshot) console.log(`heap snapshot: ${await server.snapshot(path.resolve(values.snapshot, `fuzz-baseline-${Date.now()}.heapsnapshot`))}`);
      }
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        console.log(`  ${sent} packets, ${connections} connections, ${Math.round(sent / ((Date.now() - started) / 1000))} packets/s`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (Date.now() - started) / 1000;

  // Let handshake timeouts and closes finish, then measure after a full GC.
  const deadline = Date.now() + 30_000;
  let final = await server.stats().catch(() => undefined);
  while (final && final.sessions > 1 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    final = await server.stats().catch(() => undefined);
  }
  if (values.snapshot && final) {
    console.log(`heap snapshot: ${await server.snapshot(path.resolve(values.snapshot, `fuzz-${Date.now()}.heapsnapshot`))}`);
  }
  bystander.stop();
  const crashed = server.crashed;
  await server.stop();

  const base = baseline ?? final;
  const report = {
    packetsSent: sent,
    connections,
    seconds: Math.round(elapsed),
    packetsPerSecond: Math.round(sent / elapsed),
    crashes: crashed ? 1 : 0,
    bystander: { sent: bystander.sent, answered: bystander.answered, failures: bystander.failures, disconnected: bystander.closedUnexpectedly },
    server: final && base ? {
      rss: `${MiB(base.rss)} -> ${MiB(final.rss)} (${final.rss >= base.rss ? '+' : ''}${MiB(final.rss - base.rss)})`,
      heapAfterGc: `${MiB(base.heapUsed)} -> ${MiB(final.heapUsed)} (${final.heapUsed >= base.heapUsed ? '+' : ''}${MiB(final.heapUsed - base.heapUsed)})`,
      fds: `${base.fds} -> ${final.fds}`,
      sessionsLeft: final.sessions - 1,
      uidsLeft: final.bound,
    } : 'unavailable (crashed)',
  };
  console.log(JSON.stringify(report, null, 2));
  const ok = !crashed && bystander.failures === 0 && !bystander.closedUnexpectedly && final !== undefined && final.sessions === 1 && final.bound === 0;
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
