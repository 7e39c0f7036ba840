import {
  createLogger, Module, Pitaya, tcp, ws, type DynamicModule, type ModuleImport, type PitayaApplication, type PitayaOptions, type Provider,
  type ServiceIdentifier, type Type,
} from '@pitaya-ts/core';
import { PitayaClient, type NodeClientOptions } from '@pitaya-ts/client/node';
import { connectMemoryClient, memory, MemoryAcceptor } from './memory-acceptor';

/** How a testing app accepts clients: in memory (default, no sockets), or WebSocket/TCP on a free loopback port. */
export type TestTransport = 'memory' | 'ws' | 'tcp';

/** Options of {@link TestingModuleBuilder.compile}: `Pitaya.create` options, all optional, plus the transport. */
export interface TestingOptions extends Partial<PitayaOptions> {
  /** Default `memory`. Ignored when `acceptors` is given or `frontend` is false. */
  readonly transport?: TestTransport;
}

/** The root of a testing module: an existing module, or the contents of one. */
@Module({})
class TestingRootModule {}

/** What `overrideProvider(token)` needs next. */
export interface OverrideBy<T> {
  useValue(value: T): TestingModuleBuilder;
  useClass(cls: Type<T>): TestingModuleBuilder;
  useFactory(factory: { factory: (...deps: never[]) => T | Promise<T>; inject?: readonly ServiceIdentifier[] }): TestingModuleBuilder;
}

/**
 * Builds an application for a test from a module, NestJS-style: override providers, compile, get a
 * connected client.
 *
 * @example
 * ```ts
 * const testing = await Test.createTestingModule({ imports: [ChatModule] })
 *   .overrideProvider(GROUPS).useValue(fakeGroups)
 *   .compile({ serverType: 'chat' });
 * const client = await testing.connect();
 * expect(await client.request('room.join', {})).toEqual({ code: 0, result: 'success' });
 * await testing.close();
 * ```
 */
export class TestingModuleBuilder {
  private readonly overrides: Provider[] = [];

  constructor(private readonly root: ModuleImport) {}

  /** Replaces what `token` resolves to, wherever it is provided in the module tree. */
  overrideProvider<T = unknown>(token: ServiceIdentifier<T>): OverrideBy<T> {
    const add = (provider: Provider): TestingModuleBuilder => {
      this.overrides.push(provider);
      return this;
    };
    return {
      useValue: (value) => add({ provide: token, useValue: value }),
      useClass: (cls) => add({ provide: token, useClass: cls }),
      useFactory: ({ factory, inject }) => add({ provide: token, useFactory: factory, inject }),
    };
  }

  /**
   * Creates the application and starts it. Defaults: server type `test`, a frontend on an in-memory
   * acceptor, a silent logger (`TEST_LOG_LEVEL` raises it) and an empty environment, so the
   * machine's `PITAYA_*` variables do not leak into tests.
   */
  async compile(options: TestingOptions = {}): Promise<TestingApp> {
    const { transport = 'memory', ...rest } = options;
    const frontend = rest.frontend ?? true;
    const acceptors = rest.acceptors ?? (!frontend ? [] : transport === 'memory' ? [memory()] : [
      transport === 'ws' ? ws({ port: 0, host: '127.0.0.1' }) : tcp({ port: 0, host: '127.0.0.1' }),
    ]);
    // Overrides live in a module scanned after the tree: the last binding of a token wins.
    const root: DynamicModule = { module: TestingRootModule, imports: [this.root], providers: this.overrides };
    const app = await Pitaya.create(root, {
      serverType: 'test',
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      env: {},
      ...rest,
      frontend,
      acceptors,
    });
    await app.start();
    return new TestingApp(app, acceptors[0]);
  }
}

/** A started application under test, and clients connected to it. */
export class TestingApp {
  private readonly clients = new Set<PitayaClient>();

  constructor(
    /** The application itself. */
    readonly app: PitayaApplication,
    private readonly acceptor: MemoryAcceptor | { address: { host: string; port: number } | undefined; name: string } | undefined,
  ) {}

  /** A service from the application's container. */
  get<T>(token: ServiceIdentifier<T>): T {
    return this.app.get(token);
  }

  /** The URL clients connect to (`memory://…`, `ws://127.0.0.1:…`, `tcp://127.0.0.1:…`). */
  get url(): string {
    if (this.acceptor instanceof MemoryAcceptor) return this.acceptor.url;
    const address = this.app.listening[0];
    if (!this.acceptor || !address) throw new Error('this application accepts no clients (frontend: false)');
    return this.acceptor.name.startsWith('tcp') ? `tcp://127.0.0.1:${address.port}` : `ws://127.0.0.1:${address.port}/`;
  }

  /** A client that completed the handshake; closed by {@link close}. */
  async connect(options: NodeClientOptions = {}): Promise<PitayaClient> {
    const client = this.acceptor instanceof MemoryAcceptor
      ? await connectMemoryClient(this.acceptor, options)
      : await PitayaClient.connect(this.url, options);
    this.clients.add(client);
    return client;
  }

  /** Closes every client, then the application. */
  async close(): Promise<void> {
    await Promise.all([...this.clients].map((c) => c.close()));
    this.clients.clear();
    await this.app.close();
  }
}

/** Entry point of testing modules, as in NestJS. */
export const Test = {
  /** From a module, or from the contents of one (`{ imports: [ChatModule], providers: [...] }`). */
  createTestingModule(root: ModuleImport | (Omit<DynamicModule, 'module'> & { module?: never })): TestingModuleBuilder {
    const entry: ModuleImport = typeof root === 'function' || 'module' in root && root.module !== undefined
      ? (root as ModuleImport)
      : { module: TestingContentsModule, ...root };
    return new TestingModuleBuilder(entry);
  },
} as const;

@Module({})
class TestingContentsModule {}
