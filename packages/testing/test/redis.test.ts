import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Redis } from 'ioredis';
import { startRedis } from '@pitaya-ts/testing';

describe('startRedis', () => {
  it('starts a throwaway redis-server on a free loopback port, without persistence, and removes it on stop', async () => {
    const redis = await startRedis();
    const client = new Redis({ host: redis.host, port: redis.port, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      expect(redis.address).toBe(`127.0.0.1:${redis.port}`);
      await client.connect();
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      expect(await client.config('GET', 'save')).toEqual(['save', '']);
    } finally {
      client.disconnect();
      await redis.stop();
    }
    expect(existsSync(dirname(redis.logFile))).toBe(false);
    await redis.stop(); // idempotent
  });

  it('restarts after a kill on the same port, keeping data when persistence is asked for', async () => {
    const redis = await startRedis({ persistence: true });
    const client = new Redis({ host: redis.host, port: redis.port });
    try {
      await client.set('survives', '1');
      await redis.kill();
      await redis.restart();
      expect(await client.get('survives')).toBe('1');
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });

  it('names the missing binary', async () => {
    await expect(startRedis({ binary: '/nonexistent/redis-server' })).rejects.toThrow(/not found/);
  });
});
