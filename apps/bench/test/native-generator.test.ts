import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runNativeEcho } from '../src/generator/native-echo';
import { buildNativeGenerator } from '../src/orchestrator/native-generator';
import { atLeastDelay, recordingHooks, timedJob, withServer } from './generator-fixtures';

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

  it('fails the job when no client can connect', async () => {
    await expect(runNativeEcho({ ...timedJob('tcp', 1, 0, 100), kind: 'echo-closed', clients: 3, payloadBytes: 64 }, binary, { checkpoint: () => Promise.resolve() }))
      .rejects.toThrow(/no client could connect/);
  });
});
