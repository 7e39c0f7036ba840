import { decodeMessage, MessageType, PacketDecoder } from '@pitaya-ts/protocol';
import { PITAYA_ROUTES } from '../src/servers/bench-routes';
import { runEchoClosed } from '../src/generator/echo-closed';
import { runEchoOpen } from '../src/generator/echo-open';
import { runBroadcast } from '../src/generator/broadcast';
import { runIdleRamp } from '../src/generator/idle-ramp';
import { NO_HOOKS } from '../src/generator/jobs';
import { broadcastPayload, echoPayload, readTimestamp } from '../src/wire/payloads';
import { FIRST_REQUEST_ID, nextRequestId, RequestTemplate } from '../src/wire/request-template';
import { summarizeProfile, type CpuProfile } from '../src/profile/cpu-profile';
import { atLeastDelay, expectRateBroadcastCounts, rateBroadcastJob, recordingHooks, timedJob, withServer } from './generator-fixtures';

// These tests check that the generator counts and times correctly against a tiny in-process bare
// server. They assert no speed: only counts that must match and delays that must show.

describe('wire helpers', () => {
  it('patches every request id into a packet the protocol decodes', () => {
    const template = new RequestTemplate(PITAYA_ROUTES.echo, echoPayload(64));
    for (const id of [FIRST_REQUEST_ID, FIRST_REQUEST_ID + 1, 0x0fffffff, 0x0abcdef1]) {
      const packets: Uint8Array[] = [];
      new PacketDecoder().push(template.build(id), (_type, body) => packets.push(body));
      const message = decodeMessage(packets[0]!);
      expect(message).toMatchObject({ type: MessageType.Request, id, route: PITAYA_ROUTES.echo });
      expect(message.data).toHaveLength(64);
    }
    expect(nextRequestId(0x0fffffff)).toBe(FIRST_REQUEST_ID);
  });

  it('builds exact-size payloads and reads timestamps back wherever the key is', () => {
    expect(echoPayload(1024)).toHaveLength(1024);
    expect(JSON.parse(Buffer.from(echoPayload(64)).toString())).toHaveProperty('pad');
    const body = broadcastPayload(123_456_789, 'room-1', 128, 'x'.repeat(200));
    expect(body).toHaveLength(128);
    expect(readTimestamp(body)).toBe(123_456_789);
    expect(readTimestamp(Buffer.from('{"pad":"a","ts":42}'))).toBe(42);
    expect(readTimestamp(Buffer.from('{"pad":"a"}'))).toBeNaN();
  });

  it('charges each profile sample to its function and divides by the messages', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'dispatch', url: 'file:///x/packages/core/dist/dispatch/dispatcher.js', lineNumber: 9 } },
        { id: 3, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
      ],
      startTime: 0,
      endTime: 4000,
      samples: [2, 2, 3, 2],
      timeDeltas: [0, 1000, 1000, 1000],
    };
    const summary = summarizeProfile(profile, 10, 1, 64);
    expect(summary.top[0]).toMatchObject({ functionName: 'dispatch', category: 'pitaya-ts core', selfMs: 2, microsPerMessage: 200 });
    expect(summary.busyMicrosPerMessage).toBe(200);
    // Start-up samples (the first `skipMs`) are not charged to the messages.
    const loadOnly = summarizeProfile(profile, 10, 1, 64, 20, 1);
    expect(loadOnly.top[0]).toMatchObject({ functionName: 'dispatch', selfMs: 1, microsPerMessage: 100 });
    expect(loadOnly.profiledMs).toBe(3);
  });
});

describe('load generator against an in-process bare server', () => {
  it.each(['ws', 'tcp'] as const)('closed loop over %s: every request the server saw was answered and timed once', async (transport) => {
    await withServer(0, async (server, ports) => {
      const hooks = recordingHooks();
      const result = await runEchoClosed({ ...timedJob(transport, ports[transport], 150, 500), kind: 'echo-closed', clients: 8, payloadBytes: 64 }, hooks);
      expect(result).toMatchObject({ connected: 8, connectFailures: 0, disconnects: 0, lost: 0, errors: 0 });
      expect(server.stats.handshakes).toBe(8);
      expect(server.stats.requests).toBe(result.answeredTotal);
      expect(result.completed).toBeGreaterThan(0);
      expect(result.latency.count).toBe(result.completed);
      expect(result.answeredTotal).toBeGreaterThan(result.completed); // warm-up answers are not recorded
      expect(hooks.labels).toEqual(['measure-start', 'measure-end']);
    });
  });

  it('closed loop: an injected 25 ms server delay shows in every percentile and bounds the rate', async () => {
    await withServer(25, async (server, ports) => {
      const result = await runEchoClosed({ ...timedJob('ws', ports.ws, 100, 500), kind: 'echo-closed', clients: 4, payloadBytes: 64 }, NO_HOOKS);
      expect(result.latency.count).toBe(result.completed);
      expect(result.latency.p50).toBeGreaterThanOrEqual(atLeastDelay(25));
      expect(result.latency.p99).toBeGreaterThanOrEqual(result.latency.p50);
      // Each client has one request in flight: at most one answer per 25 ms per client.
      expect(result.completed).toBeLessThanOrEqual(4 * Math.ceil(result.windowMs / 25) + 4);
      expect(server.stats.requests).toBe(result.answeredTotal);
    });
  });

  it('open loop: exactly rate × window requests are intended, each timed from its intended send time', async () => {
    await withServer(30, async (server, ports) => {
      const result = await runEchoOpen(
        { ...timedJob('ws', ports.ws, 200, 1000), kind: 'echo-open', clients: 4, payloadBytes: 64, ratePerSec: 200, maxOutstandingPerClient: 64 },
        NO_HOOKS,
      );
      expect(result.intended).toBe(200);
      expect(result.shed).toBe(0);
      expect(result.lost).toBe(0);
      expect(result.completed).toBe(200);
      expect(result.latency.count).toBe(200);
      expect(result.latency.p50).toBeGreaterThanOrEqual(atLeastDelay(30));
      // Warm-up slots were sent too: the server saw every request that was answered, no more.
      expect(server.stats.requests).toBe(result.answeredTotal);
      expect(result.answeredTotal).toBeGreaterThanOrEqual(240);
    });
  });

  it('broadcast: every push the server wrote is received, and the window counts match the timestamps', async () => {
    await withServer(0, async (server, ports) => {
      const result = await runBroadcast(rateBroadcastJob(ports.ws), NO_HOOKS);
      expectRateBroadcastCounts(server, result);
    });
  });

  it('broadcast, closed loop with several senders: each keeps one message in flight, released by its own copy only', async () => {
    await withServer(0, async (server, ports) => {
      const result = await runBroadcast(
        { ...timedJob('ws', ports.ws, 200, 600), kind: 'broadcast', rooms: 2, roomSize: 6, mode: 'closed', ratePerSender: 0, inFlightPerRoom: 3, sendersPerRoom: 3, payloadBytes: 96 },
        NO_HOOKS,
      );
      expect(result.senders).toBe(6); // 3 per room
      // Every member, the senders included, gets every message: a copy of another sender's message
      // must not release a send, or the window would grow with each round.
      expect(result.maxInFlight).toBe(3);
      expect(result.stalls).toBe(0);
      expect(server.stats.notifies).toBe(result.sentTotal);
      expect(result.deliveredTotal).toBe(result.sentTotal * 6);
      expect(result.sends).toBeGreaterThan(0);
    });
  });

  it('idle ramp: connects, holds and reports around the memory checkpoints', async () => {
    await withServer(0, async (server, ports) => {
      const hooks = recordingHooks();
      const result = await runIdleRamp(
        { kind: 'idle', endpoint: { transport: 'ws', host: '127.0.0.1', port: ports.ws }, connections: 40, connectRatePerSec: 400, concurrency: 10, connectTimeoutMs: 5000, maxRampMs: 5000, settleMs: 50 },
        hooks,
      );
      expect(result).toMatchObject({ attempted: 40, connected: 40, failures: 0, alive: 40 });
      expect(result.handshake.count).toBe(40);
      expect(server.stats.handshakes).toBe(40);
      expect(hooks.labels).toEqual(['idle-before', 'idle-after']);
    });
  });

  it('counts connection failures instead of hiding them', async () => {
    const result = await runIdleRamp(
      { kind: 'idle', endpoint: { transport: 'tcp', host: '127.0.0.1', port: 1 }, connections: 5, connectRatePerSec: 0, concurrency: 5, connectTimeoutMs: 1000, maxRampMs: 2000, settleMs: 0 },
      NO_HOOKS,
    );
    expect(result).toMatchObject({ attempted: 5, connected: 0, failures: 5 });
  });
});
