import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import {
  ACCEPTORS, BootstrapError, Global, Handler, HANDSHAKE_VALIDATORS, Route, Inject, Injectable, JsonSerializer, Module, Pitaya, SERIALIZERS,
  ConfigService, SessionPool, createLogger, defineConfig, ws, type AsyncModuleOptions, type DynamicModule, type ModuleImport, type NamedHandshakeValidator,
  type PitayaApplication, type PitayaOptions, type Serializer,
} from '@pitaya-ts/core';
import { PitayaClient } from '@pitaya-ts/client/node';

const quiet = { serverType: 'game', frontend: false, logger: createLogger({ level: 'silent' }), env: {} } as const;

async function bootError(root: ModuleImport, extra: Partial<PitayaOptions> = {}): Promise<BootstrapError> {
  try {
    await Pitaya.create(root, { ...quiet, ...extra });
  } catch (error) {
    expect(error).toBeInstanceOf(BootstrapError);
    return error as BootstrapError;
  }
  throw new Error('expected the bootstrap to fail');
}

@Injectable() class UsersService { name(): string { return 'users'; } }

describe('module encapsulation', () => {
  it('refuses a provider the providing module does not export, naming consumer, token and fix', async () => {
    @Module({ providers: [UsersService] }) class UsersModule {}
    @Handler('h') class H { constructor(readonly users: UsersService) {} @Route() t(): unknown { return {}; } }
    @Module({ imports: [UsersModule], handlers: [H] }) class AppModule {}
    const error = await bootError(AppModule);
    expect(error.code).toBe('PROVIDER_NOT_VISIBLE');
    expect(error.message).toBe(
      'H: constructor parameter #0 (module AppModule) cannot inject UsersService: UsersModule provides it but does not export it: ' +
        'add it to the exports of UsersModule and import UsersModule in AppModule.',
    );
  });

  it('refuses an exported provider in a module that does not import its module', async () => {
    @Module({ providers: [UsersService], exports: [UsersService] }) class UsersModule {}
    @Injectable() class Billing { constructor(readonly users: UsersService) {} }
    @Module({ providers: [Billing] }) class BillingModule {}
    @Module({ imports: [UsersModule, BillingModule] }) class AppModule {}
    const error = await bootError(AppModule);
    expect(error.code).toBe('PROVIDER_NOT_VISIBLE');
    expect(error.message).toBe('Billing: constructor parameter #0 (module BillingModule) cannot inject UsersService: UsersModule exports it: add UsersModule to the imports of BillingModule.');
  });

  it('checks factory arguments too', async () => {
    const SECRET = Symbol('secret');
    const DERIVED = Symbol('derived');
    @Module({ providers: [{ provide: SECRET, useValue: 's' }] }) class Private {}
    @Module({ imports: [Private], providers: [{ provide: DERIVED, useFactory: (s: string) => s, inject: [SECRET] }] }) class AppModule {}
    const error = await bootError(AppModule);
    expect(error.code).toBe('PROVIDER_NOT_VISIBLE');
    expect(error.message).toContain('the factory of derived: argument #0 (module AppModule) cannot inject secret');
  });

  it('injects exports of imported modules, re-exported modules and global modules', async () => {
    @Module({ providers: [UsersService], exports: [UsersService] }) class UsersModule {}
    @Module({ imports: [UsersModule], exports: [UsersModule] }) class CoreModule {}
    const CLOCK = Symbol('clock');
    @Global() @Module({ providers: [{ provide: CLOCK, useValue: () => 7 }], exports: [CLOCK] }) class ClockModule {}
    @Handler('h') class H { constructor(readonly users: UsersService, @Inject(CLOCK) readonly clock: () => number) {} @Route() t(): unknown { return {}; } }
    @Module({ imports: [CoreModule], handlers: [H] }) class Feature {}
    @Module({ imports: [ClockModule, Feature] }) class AppModule {}
    const app = await Pitaya.create(AppModule, quiet);
    expect(app.get(H).users.name()).toBe('users');
    expect(app.get(H).clock()).toBe(7);
  });

  it('lets any module inject the framework\'s services without importing anything', async () => {
    @Handler('h') class H { constructor(readonly pool: SessionPool, readonly config: ConfigService) {} @Route() t(): unknown { return {}; } }
    @Module({ handlers: [H] }) class Leaf {}
    @Module({ imports: [Leaf] }) class AppModule {}
    await expect(Pitaya.create(AppModule, quiet)).resolves.toBeDefined();
  });

  it('refuses exports that are neither its providers nor imported modules', async () => {
    const GHOST = Symbol('ghost');
    @Module({ exports: [GHOST] }) class A {}
    expect((await bootError(A)).message).toBe('A exports ghost, which is not among its providers');
    @Module({}) class Other {}
    @Module({ exports: [Other] }) class B {}
    expect((await bootError(B)).message).toBe('B exports the module Other without importing it');
  });
});

describe('forRootAsync', () => {
  const GREETING_OPTIONS = Symbol('greeting options');
  @Injectable() class Greeter { constructor(@Inject(GREETING_OPTIONS) readonly options: { greeting: string }) {} }
  @Module({})
  class GreetingModule {
    static forRootAsync(options: AsyncModuleOptions<{ greeting: string }>): DynamicModule {
      return {
        module: GreetingModule,
        imports: options.imports,
        providers: [{ provide: GREETING_OPTIONS, useFactory: options.useFactory, inject: options.inject }, Greeter],
        exports: [Greeter],
      };
    }
  }
  const appConfig = defineConfig('app', z.object({ greeting: z.string().default('hello') }));
  @Module({ providers: [appConfig.provider], exports: [appConfig.token] }) class AppConfigModule {}
  @Handler('h') class H { constructor(readonly greeter: Greeter) {} @Route() t(): unknown { return {}; } }

  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'pitaya-nest-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('configures a module from an injected, file-backed config', async () => {
    const file = path.join(dir, 'config.yaml');
    writeFileSync(file, 'app:\n  greeting: bonjour\n');
    @Module({
      imports: [GreetingModule.forRootAsync({ imports: [AppConfigModule], inject: [appConfig.token], useFactory: async (c: { greeting: string }) => ({ greeting: `${c.greeting}!` }) })],
      handlers: [H],
    })
    class AppModule {}
    const app = await Pitaya.create(AppModule, { ...quiet, configFile: file });
    expect(app.get(H).greeter.options.greeting).toBe('bonjour!');
  });

  it('refuses a factory whose injected config the async module does not import', async () => {
    @Module({ imports: [AppConfigModule, GreetingModule.forRootAsync({ inject: [appConfig.token], useFactory: (c: { greeting: string }) => c })], handlers: [H] })
    class AppModule {}
    const error = await bootError(AppModule);
    expect(error.code).toBe('PROVIDER_NOT_VISIBLE');
    expect(error.message).toContain('the factory of greeting options: argument #0 (module GreetingModule (dynamic)) cannot inject pitaya-ts:config:app');
    expect(error.message).toContain('add AppConfigModule to the imports of GreetingModule (dynamic)');
  });
});

describe('multi-providers', () => {
  const seen: string[] = [];
  const upper: Serializer = {
    name: 'upper-json',
    encode: (value) => new JsonSerializer().encode(typeof value === 'object' ? JSON.parse(JSON.stringify(value).toUpperCase()) : value),
    decode: (data) => new JsonSerializer().decode(data),
    encodeError: (error) => new JsonSerializer().encodeError(error),
  };
  @Injectable() class TokenCheck implements NamedHandshakeValidator {
    readonly name = 'token';
    readonly validate = (handshake: { user?: Record<string, unknown> }): void => {
      seen.push('token');
      if (handshake.user?.token !== 'open-sesame') throw new Error('bad token');
    };
  }
  @Handler('echo') class Echo { @Route() say(_ctx: unknown, body: { text: string }): unknown { return { said: body.text }; } }
  @Module({
    providers: [
      { provide: HANDSHAKE_VALIDATORS, useClass: TokenCheck, multi: true },
      { provide: HANDSHAKE_VALIDATORS, useValue: { name: 'log', validate: () => void seen.push('log') }, multi: true },
      { provide: ACCEPTORS, useFactory: () => ws({ port: 0, host: '127.0.0.1' }), multi: true },
      { provide: SERIALIZERS, useValue: upper, multi: true },
    ],
  })
  class GatewayModule {}
  @Module({ imports: [GatewayModule], handlers: [Echo] }) class AppModule {}

  let app: PitayaApplication;
  afterEach(async () => app?.close());

  it('lets modules contribute acceptors, handshake validators and serializers', async () => {
    app = await Pitaya.create(AppModule, { ...quiet, frontend: undefined, serializer: 'upper-json', handshakeValidators: { first: () => void seen.push('option') } });
    expect(app.server.frontend).toBe(true);
    await app.start();
    const port = app.listening[0]!.port;
    const refused = await PitayaClient.connect(`ws://127.0.0.1:${port}/`, { handshake: { user: { token: 'nope' } } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(seen).toEqual(['option', 'token']);
    const client = await PitayaClient.connect(`ws://127.0.0.1:${port}/`, { handshake: { user: { token: 'open-sesame' } } });
    try {
      expect(seen).toEqual(['option', 'token', 'option', 'token', 'log']);
      expect(await client.request('echo.say', { text: 'hi' })).toEqual({ SAID: 'HI' });
    } finally {
      await client.close();
    }
  });

  it('names the known serializers when the option names an unknown one', async () => {
    const error = await bootError(AppModule, { serializer: 'msgpack', frontend: true });
    expect(error.message).toBe('serializer "msgpack" is unknown: use one of json, protobuf, upper-json, or contribute it with { provide: SERIALIZERS, useValue, multi: true }');
  });
});

