import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProcessRegistry } from '../src/orchestrator/process-registry';
import { SERVER_NODE_FLAGS, startScript } from '../src/targets/node-server';
import { pinusTarget } from '../src/targets/pinus-target';

describe('bench server processes', () => {
  let tmp: string;
  const registry = new ProcessRegistry({ available: false, reason: 'test', cpus: os.availableParallelism() });

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-node-server-'));
  });
  afterAll(async () => {
    await registry.stopAll();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('every server runs with the same V8 flags, before its own ones (the report states them once for all targets)', async () => {
    expect(SERVER_NODE_FLAGS).toContain('--max-semi-space-size=4');
    const ctx = { registry, pinning: { available: false, reason: 'test', cpus: 1 }, tmpDir: tmp, distDir: path.resolve(__dirname, '..', 'dist'), appDir: path.resolve(__dirname, '..') };
    const { process: p, ready } = await startScript(ctx, { label: 'bare server', script: 'bare-main.js', listens: true, nodeArgs: ['--stack-size=1000'] });
    expect(ready.ws).toBeGreaterThan(0);
    const argv = fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0');
    const script = argv.findIndex((a) => a.endsWith('bare-main.js'));
    expect(argv.slice(1, script)).toEqual([...SERVER_NODE_FLAGS, '--stack-size=1000']);
    await registry.stop(p, 500);
  });

  it("pinus's connector, which pinus's master spawns, gets the same flags (servers.json args)", async () => {
    const ctx = { registry, pinning: { available: false, reason: 'test', cpus: 1 }, tmpDir: tmp, distDir: path.resolve(__dirname, '..', 'dist'), appDir: path.resolve(__dirname, '..') };
    const target = await pinusTarget.start(ctx);
    try {
      const argv = fs.readFileSync(`/proc/${target.pid}/cmdline`, 'utf8').split('\0');
      expect(argv.slice(1, 1 + SERVER_NODE_FLAGS.length)).toEqual([...SERVER_NODE_FLAGS]);
    } finally {
      await target.stop(500);
    }
  }, 60_000);
});
