import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { BootstrapError, ConfigService, ConfigSource, Handler, Inject, Route, Module, Pitaya, configFileFromArgs, createLogger, defineConfig, readConfigFile, type ConfigOf, type PitayaConfig } from '@pitaya-ts/core';
import { PITAYA_CONFIG_KEYS, resolveConfig } from '@pitaya-ts/core/internal';

const quiet = { serverType: 'game', frontend: false, logger: createLogger({ level: 'silent' }) } as const;

describe('configuration files', () => {
  let dir: string;
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'pitaya-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Pitaya's viper layout: lower-case keys under `pitaya:`, Go durations.
  const pitayaYaml = [
    'pitaya:',
    '  heartbeat:',
    '    interval: 10s',
    '  handler:',
    '    messages:',
    '      compression: false',
    '  conn:',
    '    ratelimiting:',
    '      limit: 50',
    '  buffer:',
    '    agent:',
    '      maxpendingbytes: 4096',
    'chat:',
    '  maxLength: 120',
    '',
  ].join('\n');

  it('overrides defaults from a YAML file, code over the file, PITAYA_* over both', () => {
    const file = readConfigFile(write('config.yaml', pitayaYaml));
    const fromFile = resolveConfig<PitayaConfig>(PITAYA_CONFIG_KEYS, {}, new ConfigSource({}, file));
    expect(fromFile.heartbeat.interval).toBe(10_000);
    expect(fromFile.handler.messages.compression).toBe(false);
    expect(fromFile.buffer.agent.maxPendingBytes).toBe(4096); // keys match case-insensitively, like viper
    expect(fromFile.session.unique).toBe(true); // untouched default

    const layered = resolveConfig<PitayaConfig>(
      PITAYA_CONFIG_KEYS,
      { conn: { rateLimiting: { limit: 60 } } },
      new ConfigSource({ PITAYA_HEARTBEAT_INTERVAL: '2s', PITAYA_CONN_RATELIMITING_LIMIT: '70' }, file),
    );
    expect(layered.heartbeat.interval).toBe(2000);
    expect(layered.conn.rateLimiting.limit).toBe(70);
    expect(resolveConfig<PitayaConfig>(PITAYA_CONFIG_KEYS, { conn: { rateLimiting: { limit: 60 } } }, new ConfigSource({}, file)).conn.rateLimiting.limit).toBe(60);
  });

  it('reads JSON files the same way', () => {
    const file = readConfigFile(write('config.json', JSON.stringify({ pitaya: { heartbeat: { interval: '5s' } } })));
    expect(resolveConfig<PitayaConfig>(PITAYA_CONFIG_KEYS, {}, new ConfigSource({}, file)).heartbeat.interval).toBe(5000);
  });

  it('names the key, the file and the line of an invalid value', () => {
    const file = write('bad.yaml', 'pitaya:\n  heartbeat:\n    interval: 10\n');
    let error: unknown;
    try {
      resolveConfig(PITAYA_CONFIG_KEYS, {}, new ConfigSource({}, readConfigFile(file)));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BootstrapError);
    expect((error as Error).message).toBe(
      `Invalid configuration pitaya.heartbeat.interval (file ${file}:3): invalid duration "10": missing unit (e.g. "10s" or "10ms")`,
    );
  });

  it('refuses a malformed or missing file naming it', () => {
    const broken = write('broken.yaml', 'pitaya:\n  heartbeat: [\n');
    expect(() => readConfigFile(broken)).toThrow(`The configuration file ${broken} is not valid YAML`);
    expect(() => readConfigFile(path.join(dir, 'absent.yaml'))).toThrow('Cannot read the configuration file');
    expect(() => readConfigFile(write('list.yaml', '- a\n- b\n'))).toThrow('must hold a mapping');
  });

  it('applies the file to Pitaya.create, and the environment over it', async () => {
    const file = write('app.yaml', pitayaYaml);
    @Module({}) class Empty {}
    const built = await Pitaya.create(Empty, { ...quiet, configFile: file, env: { PITAYA_HANDLER_MESSAGES_COMPRESSION: 'true' } });
    expect(built.config.heartbeat.interval).toBe(10_000);
    expect(built.config.handler.messages.compression).toBe(true);
    expect(built.get(ConfigService).file).toBe(file);
  });

  it('gives the application its own typed, validated keys', async () => {
    const chatConfig = defineConfig('chat', z.object({
      maxLength: z.coerce.number().int().positive().default(2000),
      motd: z.string().default('welcome'),
    }));
    @Handler('room') class Room {
      constructor(@Inject(chatConfig.token) readonly config: ConfigOf<typeof chatConfig>) {}
      @Route() t(): unknown { return {}; }
    }
    @Module({ providers: [chatConfig.provider], handlers: [Room] }) class ChatModule {}
    const file = write('chat.yaml', pitayaYaml);

    const fromFile = await Pitaya.create(ChatModule, { ...quiet, configFile: file, env: {} });
    expect(fromFile.get(Room).config).toEqual({ maxLength: 120, motd: 'welcome' });

    const fromEnv = await Pitaya.create(ChatModule, { ...quiet, configFile: file, env: { CHAT_MAXLENGTH: '80' } });
    expect(fromEnv.get(Room).config.maxLength).toBe(80);
    expect(fromEnv.get(ConfigService).value('chat.maxLength')).toBe('80');

    const defaults = await Pitaya.create(ChatModule, { ...quiet, env: {} });
    expect(defaults.get(Room).config).toEqual({ maxLength: 2000, motd: 'welcome' });

    const badFile = write('chat-bad.yaml', 'chat:\n  motd: hi\n  maxLength: -3\n');
    await expect(Pitaya.create(ChatModule, { ...quiet, configFile: badFile, env: {} })).rejects.toThrow(
      `Invalid configuration chat.maxLength (file ${badFile}:3): Too small: expected number to be >0`,
    );
    await expect(Pitaya.create(ChatModule, { ...quiet, configFile: file, env: { CHAT_MAXLENGTH: 'lots' } })).rejects.toThrow(
      'Invalid configuration chat.maxLength (environment variable CHAT_MAXLENGTH)',
    );
  });

  it('finds --config on a command line', () => {
    expect(configFileFromArgs(['node', 'main.js', '--config', 'config.yaml'])).toBe('config.yaml');
    expect(configFileFromArgs(['node', 'main.js', '--config=/etc/game.yaml'])).toBe('/etc/game.yaml');
    expect(configFileFromArgs(['node', 'main.js'])).toBeUndefined();
  });
});
