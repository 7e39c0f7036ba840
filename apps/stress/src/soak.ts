/**
 * `npm run soak -- --connections 10000 --minutes 10 [--heartbeat 5s] [--rate 500]`: holds that many
 * TCP clients on a server process for that long, each answering heartbeats like a real client, with
 * a steady trickle of echo requests. Reports dropped connections and requests, request latency,
 * how regularly heartbeats arrived, and the server's RSS, heap and fds over time. Exits non-zero on
 * any drop.
 */
import * as net from 'node:net';
import { parseArgs } from 'node:util';
import {
  decodeMessage, encodeMessagePacket, encodePacket, HANDSHAKE_ACK_PACKET, HEARTBEAT_PACKET, MessageType, PacketDecoder, PacketType, utf8Encode,
} from '@pitaya-ts/protocol';
import { parseDuration } from '@pitaya-ts/core';
import { count, MiB, ServerHandle } from './server-handle';

const HANDSHAKE = encodePacket(PacketType.Handshake, utf8Encode('{"sys":{"platform":"soak","libVersion":"1"}}'));

interface Client {
  socket: net.Socket;
  ready: boolean;
  lastHeartbeat: number;
  nextId: number;
  pending: Map<number, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { connections: { type: 'string' }, minutes: { type: 'string' }, heartbeat: { type: 'string', default: '5s' }, rate: { type: 'string' } } });
  const total = count(values.connections, 10_000);
  const minutes = Number(values.minutes ?? '10');
  const heartbeatMs = parseDuration(values.heartbeat!);
  const rate = count(values.rate, 500);
  const server = await ServerHandle.start(['--heartbeat', values.heartbeat!, '--handshakeTimeout', '30s']);
  console.log(`soak: ${total} connections for ${minutes} min, heartbeat ${heartbeatMs} ms, ${rate} requests/s, server pid ${server.pid}`);
  const idle = await server.stats();

  const clients: Client[] = [];
  let lostConnections = 0;
  let stopping = false;
  let requestsSent = 0;
  let answered = 0;
  let errors = 0;
  let lostRequests = 0;
  const latencies: number[] = [];
  const heartbeatGaps: number[] = [];

  const open = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const socket = net.connect(server.tcpPort, '127.0.0.1');
      const client: Client = { socket, ready: false, lastHeartbeat: 0, nextId: 1, pending: new Map() };
      const decoder = new PacketDecoder();
      socket.on('data', (chunk) =>
        decoder.push(chunk, (type, body) => {
          const now = performance.now();
          if (type === PacketType.Handshake) {
            socket.write(HANDSHAKE_ACK_PACKET);
            client.ready = true;
            client.lastHeartbeat = now;
            resolve();
          } else if (type === PacketType.Heartbeat) {
            if (client.lastHeartbeat > 0 && !stopping) heartbeatGaps.push(now - client.lastHeartbeat);
            client.lastHeartbeat = now;
            socket.write(HEARTBEAT_PACKET);
          } else if (type === PacketType.Data) {
            const m = decodeMessage(body);
            const at = client.pending.get(m.id);
            if (at === undefined) return;
            client.pending.delete(m.id);
            if (m.error) errors++;
            else {
              answered++;
              latencies.push(now - at);
            }
          }
        }),
      );
      socket.on('error', (error) => {
        if (!client.ready) reject(error);
      });
      socket.on('close', () => {
        if (!stopping) lostConnections++;
      });
      socket.write(HANDSHAKE);
      clients.push(client);
    });

  const rampStart = Date.now();
  for (let i = 0; i < total; i += 250) {
    await Promise.all(Array.from({ length: Math.min(250, total - i) }, open));
  }
  const rampSeconds = (Date.now() - rampStart) / 1000;
  const afterRamp = await server.stats();
  console.log(`  ${total} connected in ${rampSeconds.toFixed(1)} s; server RSS ${MiB(afterRamp.rss)}, ${afterRamp.sessions} sessions, ${afterRamp.fds} fds`);

  const perTick = Math.max(1, Math.round(rate / 10));
  let cursor = 0;
  const traffic = setInterval(() => {
    const now = performance.now();
    for (let n = 0; n < perTick; n++) {
      const client = clients[cursor++ % clients.length]!;
      if (client.socket.destroyed) continue;
      for (const [id, at] of client.pending) {
        if (now - at > 10_000) {
          client.pending.delete(id);
          lostRequests++;
        }
      }
      const id = client.nextId++;
      client.pending.set(id, now);
      requestsSent++;
      client.socket.write(encodeMessagePacket({ type: MessageType.Request, id, route: 'connector.room.echo', data: utf8Encode(`{"n":${id}}`) }));
    }
  }, 100);

  const samples: { minute: number; rss: number; heapUsed: number; fds: number; sessions: number }[] = [];
  const endAt = Date.now() + minutes * 60_000;
  while (Date.now() < endAt && !server.crashed) {
    await new Promise((r) => setTimeout(r, Math.min(30_000, endAt - Date.now())));
    const s = await server.stats().catch(() => undefined);
    if (!s) break;
    samples.push({ minute: Number(((Date.now() - rampStart) / 60_000).toFixed(1)), rss: s.rss, heapUsed: s.heapUsed, fds: s.fds, sessions: s.sessions });
    console.log(`  t=${samples.at(-1)!.minute} min: RSS ${MiB(s.rss)}, heap ${MiB(s.heapUsed)}, ${s.sessions} sessions, ${lostConnections} connections lost, ${answered}/${requestsSent} answered`);
  }
  clearInterval(traffic);
  // Requests still pending get a last chance.
  await new Promise((r) => setTimeout(r, 2000));
  for (const c of clients) lostRequests += c.pending.size;
  stopping = true;
  for (const c of clients) c.socket.destroy();
  const deadline = Date.now() + 30_000;
  let end = await server.stats().catch(() => undefined);
  while (end && end.sessions > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    end = await server.stats().catch(() => undefined);
  }
  const crashed = server.crashed;
  await server.stop();

  latencies.sort((a, b) => a - b);
  heartbeatGaps.sort((a, b) => a - b);
  const peakRss = Math.max(afterRamp.rss, ...samples.map((s) => s.rss));
  const report = {
    connections: total,
    minutes,
    rampSeconds: Number(rampSeconds.toFixed(1)),
    crashes: crashed ? 1 : 0,
    drops: { connectionsLost: lostConnections, requestsLost: lostRequests, requestErrors: errors },
    requests: { sent: requestsSent, answered, latencyMs: { p50: Number(percentile(latencies, 50).toFixed(2)), p99: Number(percentile(latencies, 99).toFixed(2)), max: Number((latencies.at(-1) ?? 0).toFixed(2)) } },
    heartbeat: {
      intervalMs: heartbeatMs,
      observed: heartbeatGaps.length,
      gapMs: { min: Math.round(heartbeatGaps[0] ?? 0), p50: Math.round(percentile(heartbeatGaps, 50)), p99: Math.round(percentile(heartbeatGaps, 99)), max: Math.round(heartbeatGaps.at(-1) ?? 0) },
    },
    server: {
      idle: { rss: MiB(idle.rss), heapAfterGc: MiB(idle.heapUsed), fds: idle.fds },
      afterRamp: { rss: MiB(afterRamp.rss), heapAfterGc: MiB(afterRamp.heapUsed), fds: afterRamp.fds, perConnection: `${((afterRamp.rss - idle.rss) / total / 1024).toFixed(1)} KiB RSS` },
      peakRss: MiB(peakRss),
      lastSample: samples.length > 0 ? { rss: MiB(samples.at(-1)!.rss), heapAfterGc: MiB(samples.at(-1)!.heapUsed), fds: samples.at(-1)!.fds } : undefined,
      afterClose: end ? { rss: MiB(end.rss), heapAfterGc: MiB(end.heapUsed), fds: end.fds, sessions: end.sessions } : 'unavailable',
    },
  };
  console.log(JSON.stringify(report, null, 2));
  process.exit(!crashed && lostConnections === 0 && lostRequests === 0 && errors === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
