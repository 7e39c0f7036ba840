import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { freePort, startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';

function health(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(`${url}/health`, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('freePort', () => {
  it('returns a port that can be bound on loopback', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? n : 0), { intervalMs: 1 })).resolves.toBe(3);
  });

  it('rejects with the message and the last error after the timeout', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('boom');
        },
        { timeoutMs: 30, intervalMs: 5, message: 'the thing' },
      ),
    ).rejects.toThrow(/timed out after 30 ms waiting for the thing; last error: boom/);
  });
});

describe('startEtcd', () => {
  let etcd: EtcdHandle;

  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  it('serves on a loopback endpoint and reports healthy', async () => {
    expect(etcd.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(etcd.url).toBe(`http://${etcd.endpoint}`);
    expect(await health(etcd.url)).toContain('"health":"true"');
  });

  it('kill() takes it down and restart() brings it back on the same endpoint', async () => {
    const endpoint = etcd.endpoint;
    await etcd.kill();
    await expect(health(etcd.url)).rejects.toThrow();
    await etcd.restart();
    expect(etcd.endpoint).toBe(endpoint);
    expect(await health(etcd.url)).toContain('"health":"true"');
  });

  it('stop() removes the data directory and is idempotent', async () => {
    const other = await startEtcd();
    expect(existsSync(other.dataDir)).toBe(true);
    await other.stop();
    await other.stop();
    expect(existsSync(other.dataDir)).toBe(false);
    await expect(other.restart()).rejects.toThrow(/stopped/);
  });

  it('fails clearly when the binary is missing', async () => {
    await expect(startEtcd({ binary: '/nonexistent/etcd' })).rejects.toThrow(/etcd binary "\/nonexistent\/etcd" not found/);
  });

  it('fails with the log tail when etcd cannot start', async () => {
    // etcd refuses an unknown flag: simulate with a binary that exits at once.
    await expect(startEtcd({ binary: '/bin/false', startTimeoutMs: 2000 })).rejects.toThrow(/exited during start-up/);
  });
});
