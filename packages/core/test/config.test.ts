import { BootstrapError, formatGoDuration, parseDuration, type PitayaConfig } from '@pitaya-ts/core';
import { envName, PITAYA_CONFIG_KEYS, resolveConfig } from '@pitaya-ts/core/internal';

describe('configuration', () => {
  it('has Pitaya\'s defaults', () => {
    const config = resolveConfig<PitayaConfig>(PITAYA_CONFIG_KEYS, {}, {});
    expect(config.heartbeat.interval).toBe(30_000);
    expect(config.handler.messages.compression).toBe(true);
    expect(config.conn.rateLimiting).toEqual({ limit: 20, interval: 1000, forceDisable: false, kickAfter: 0 });
    expect(config.session).toEqual({ unique: true, drain: { enabled: false, timeout: 6 * 3_600_000, period: 5000 } });
  });

  it('takes values from code, and PITAYA_* environment variables over code', () => {
    const config = resolveConfig<PitayaConfig>(
      PITAYA_CONFIG_KEYS,
      { heartbeat: { interval: '10s' }, conn: { rateLimiting: { limit: 5 } } },
      { PITAYA_HEARTBEAT_INTERVAL: '1m30s', PITAYA_CONN_RATELIMITING_FORCEDISABLE: 'true' },
    );
    expect(config.heartbeat.interval).toBe(90_000);
    expect(config.conn.rateLimiting.limit).toBe(5);
    expect(config.conn.rateLimiting.forceDisable).toBe(true);
    expect(envName('buffer.agent.maxPendingBytes')).toBe('PITAYA_BUFFER_AGENT_MAXPENDINGBYTES');
  });

  it('refuses invalid values naming the key and where the value came from', () => {
    const attempt = (provided: unknown, env: NodeJS.ProcessEnv): string => {
      try {
        resolveConfig(PITAYA_CONFIG_KEYS, provided, env);
      } catch (error) {
        expect(error).toBeInstanceOf(BootstrapError);
        return (error as Error).message;
      }
      throw new Error('expected a failure');
    };
    expect(attempt({}, { PITAYA_HEARTBEAT_INTERVAL: '30' })).toBe(
      'Invalid configuration pitaya.heartbeat.interval (environment variable PITAYA_HEARTBEAT_INTERVAL): invalid duration "30": missing unit (e.g. "30s" or "30ms")',
    );
    expect(attempt({ handler: { messages: { compression: 'maybe' } } }, {})).toBe(
      'Invalid configuration pitaya.handler.messages.compression (option handler.messages.compression): "maybe" is not a boolean (use true or false)',
    );
    expect(attempt({}, { PITAYA_CONN_MAXPACKETSIZE: '99999999' })).toContain('above the maximum 16777215');
    expect(attempt({}, { PITAYA_SERIALIZERTYPE: '3' })).toContain('is not one of 0, 1, 2');
  });

  it('parses and formats Go durations', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration(42)).toBe(42);
    expect(() => parseDuration('5 parsecs')).toThrow('invalid duration');
    expect(formatGoDuration(5000)).toBe('5s');
    expect(formatGoDuration(90_000)).toBe('1m30s');
    expect(formatGoDuration(1500)).toBe('1.5s');
    expect(formatGoDuration(250)).toBe('250ms');
    expect(formatGoDuration(3_600_000)).toBe('1h0m0s');
  });
});
