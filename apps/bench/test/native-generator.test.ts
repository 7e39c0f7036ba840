import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runNativeBroadcast, runNativeEcho } from '../src/generator/native-load';
import { buildNativeGenerator } from '../src/orchestrator/native-generator';
import { atLeastDelay, expectRateBroadcastCounts, rateBroadcastJob, recordingHooks, timedJob, withServer } from './generator-fixtures';

// The native echo generator (native/loadgen.c), built with the machine's C compiler as the bench
// does, against the in-process bare server: the same counting and timing contract as the Node
// generator's tests (generator.test.ts). No speed is asserted.

let tmp: string;
let binary: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loadgen-test-'));
  const built = buildNativeGenerator(path.resolve(__dirname, '..'), tmp);
  if (!built.binary) throw new Error(built.description);
  binary = built.binary;
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('native echo generator', () => {
  it.each(['ws', 'tcp'] as const)('closed loop over %s: every answer counted once, the window timed, the checkpoints reported', async (transport) => {
    await withServer(0, async (server, ports) => {
      const hooks = recordingHooks();
      const result = await runNativeEcho(
        { ...timedJob(transport, transport === 'ws' ? ports.ws : ports.tcp, 100, 400), kind: 'echo-closed', clients: 8, payloadBytes: 64 }, binary, hooks,
      );
      expect(result).toMatchObject({ kind: 'echo-closed', connected: 8, connectFailures: 0, disconnects: 0, lost: 0, errors: 0 });
      expect(server.stats.handshakes).toBe(8);
      expect(result.completed).toBeGreaterThan(0);
      expect(result.latency.count).toBe(result.completed);
      expect(result.answeredTotal).toBeGreaterThan(result.completed); // warm-up answers are not recorded
      expect(server.stats.requests).toBe(result.answeredTotal);
      expect(result.windowMs).toBeGreaterThanOrEqual(400);
      expect(result.generatorCpu).toBeGreaterThan(0);
      expect(hooks.labels).toEqual(['measure-start', 'measure-end']);
    });
  });

  it('closed loop: an injected 25 ms server delay shows in every percentile and bounds the rate', async () => {
    await withServer(25, async (server, ports) => {
      const result = await runNativeEcho({ ...timedJob('ws', ports.ws, 100, 500), kind: 'echo-closed', clients: 4, payloadBytes: 64 }, binary, { checkpoint: () => Promise.resolve() });
      expect(result.latency.count).toBe(result.completed);
      expect(result.latency.p50).toBeGreaterThanOrEqual(atLeastDelay(25));
      expect(result.latency.p99).toBeGreaterThanOrEqual(result.latency.p50);
      expect(result.completed).toBeLessThanOrEqual(4 * Math.ceil(result.windowMs / 25) + 4);
      expect(server.stats.requests).toBe(result.answeredTotal);
    });
  });

  it('open loop: exactly rate × window requests are intended, each timed from its intended send time', async () => {
    await withServer(30, async (server, ports) => {
      const result = await runNativeEcho(
        { ...timedJob('tcp', ports.tcp, 200, 1000), kind: 'echo-open', clients: 4, payloadBytes: 64, ratePerSec: 200, maxOutstandingPerClient: 64 },
        binary, { checkpoint: () => Promise.resolve() },
      );
      expect(result).toMatchObject({ kind: 'echo-open', intended: 200, shed: 0, lost: 0, completed: 200 });
      expect(result.latency.count).toBe(200);
      expect(result.latency.p50).toBeGreaterThanOrEqual(atLeastDelay(30));
      expect(server.stats.requests).toBe(result.answeredTotal);
      expect(result.answeredTotal).toBeGreaterThanOrEqual(240);
    });
  });

  it('broadcast, rate mode: every push the server wrote is received, and the window counts match the timestamps', async () => {
    await withServer(0, async (server, ports) => {
      const hooks = recordingHooks();
      const result = await runNativeBroadcast(rateBroadcastJob(ports.ws), binary, hooks);
      expectRateBroadcastCounts(server, result);
      expect(result.senders).toBe(2);
      expect(hooks.labels).toEqual(['measure-start', 'measure-end']);
    });
  });

  it.each(['ws', 'tcp'] as const)('broadcast over %s, closed loop with several senders: each keeps one message in flight, released by its own copy only', async (transport) => {
    await withServer(0, async (server, ports) => {
      const result = await runNativeBroadcast(
        {
          ...timedJob(transport, transport === 'ws' ? ports.ws : ports.tcp, 200, 600), kind: 'broadcast', rooms: 2, roomSize: 6, mode: 'closed',
          ratePerSender: 0, inFlightPerRoom: 3, sendersPerRoom: 3, payloadBytes: 96,
        },
        binary, { checkpoint: () => Promise.resolve() },
      );
      expect(result.senders).toBe(6);
      expect(result.maxInFlight).toBe(3);
      expect(result.stalls).toBe(0);
      expect(server.stats.notifies).toBe(result.sentTotal);
      expect(result.deliveredTotal).toBe(result.sentTotal * 6);
      expect(result.sends).toBeGreaterThan(0);
      expect(result.latency.count).toBe(result.deliveries);
    });
  });

  it('broadcast spread over two servers: members alternate between the endpoints', async () => {
    await withServer(0, async (a, portsA) => {
      await withServer(0, async (b, portsB) => {
        // Each bare server has its own rooms: members on the other server never get those pushes,
        // so every member receives only what its own server's senders sent.
        const result = await runNativeBroadcast(
          {
            ...timedJob('ws', portsA.ws, 100, 300), kind: 'broadcast', rooms: 1, roomSize: 8, mode: 'rate', ratePerSender: 20, inFlightPerRoom: 1, payloadBytes: 96,
            endpoints: [{ transport: 'ws', host: '127.0.0.1', port: portsA.ws }, { transport: 'ws', host: '127.0.0.1', port: portsB.ws }],
          },
          binary, { checkpoint: () => Promise.resolve() },
        );
        expect(result.connected).toBe(8);
        expect(a.stats.handshakes).toBe(4);
        expect(b.stats.handshakes).toBe(4);
        expect(a.stats.requests + b.stats.requests).toBe(8);
        expect(a.stats.pushes).toBe(0); // the room's sender, member 7, is on the second server
        expect(result.deliveredTotal).toBe(b.stats.pushes);
      });
    });
  });

  it('fails the job when no client can connect', async () => {
    await expect(runNativeEcho({ ...timedJob('tcp', 1, 0, 100), kind: 'echo-closed', clients: 3, payloadBytes: 64 }, binary, { checkpoint: () => Promise.resolve() }))
      .rejects.toThrow(/no client could connect/);
  });
});
