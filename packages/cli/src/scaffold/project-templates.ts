import { CLI_VERSION, DEPENDENCIES, DEV_DEPENDENCIES, OVERRIDES } from './versions';

/** What `pitaya-ts new` was asked for. */
export interface ProjectSpec {
  /** npm package name. */
  readonly name: string;
  readonly cluster: boolean;
  readonly packageManager: 'npm' | 'pnpm' | 'yarn';
}

/** Project settings `pitaya-ts generate` reads (`pitaya-ts.json`, like nest-cli.json). */
export interface ProjectConfig {
  /** Where generated classes go. */
  readonly sourceRoot: string;
  /** Where generated tests go. */
  readonly testRoot: string;
  /** The `@Module` file generated classes are added to. */
  readonly module: string;
}

/** Files of a new project, path → content. */
export function projectFiles(spec: ProjectSpec): Record<string, string> {
  const config: ProjectConfig = { sourceRoot: 'src', testRoot: 'test', module: spec.cluster ? 'src/room/room.module.ts' : 'src/app.module.ts' };
  const files: Record<string, string> = {
    'package.json': packageJson(spec),
    'pitaya-ts.json': `${JSON.stringify(config, null, 2)}\n`,
    'tsconfig.json': TSCONFIG,
    'tsconfig.build.json': TSCONFIG_BUILD,
    'jest.config.js': JEST_CONFIG,
    '.gitignore': 'node_modules/\ndist/\ncoverage/\n*.tsbuildinfo\n',
    'README.md': readme(spec),
    'src/room/room.handler.ts': roomHandler(spec.cluster),
    'src/room/room.remote.ts': ROOM_REMOTE,
    'src/common/timing.pipeline.ts': TIMING_PIPELINE,
  };
  if (spec.cluster) {
    Object.assign(files, {
      'src/cluster.ts': CLUSTER_TS,
      'src/connector.module.ts': CONNECTOR_MODULE,
      'src/room/room.module.ts': ROOM_MODULE,
      'src/app.ts': CLUSTER_APP,
      'src/main.ts': CLUSTER_MAIN,
      'test/cluster.test.ts': CLUSTER_TEST,
    });
  } else {
    Object.assign(files, {
      'src/app.module.ts': APP_MODULE,
      'src/app.ts': STANDALONE_APP,
      'src/main.ts': STANDALONE_MAIN,
      'test/room.test.ts': STANDALONE_TEST,
    });
  }
  return files;
}

function packageJson(spec: ProjectSpec): string {
  const pitaya = ['core', 'client', ...(spec.cluster ? ['cluster'] : [])];
  const dependencies: Record<string, string> = { ...DEPENDENCIES };
  for (const p of pitaya) dependencies[`@pitaya-ts/${p}`] = CLI_VERSION;
  const devDependencies: Record<string, string> = { ...DEV_DEPENDENCIES };
  // Every generated test builds its application with @pitaya-ts/testing's testing module.
  devDependencies['@pitaya-ts/testing'] = CLI_VERSION;
  const run = spec.packageManager === 'npm' ? 'npm run' : spec.packageManager;
  const pkg = {
    name: spec.name,
    version: '0.1.0',
    private: true,
    engines: { node: '>=20.19.0' },
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      start: `${run} build && node dist/main.js`,
      test: 'tsc -p tsconfig.json && jest',
    },
    dependencies: sorted(dependencies),
    devDependencies: sorted(devDependencies),
    // npm reads overrides, pnpm reads pnpm.overrides, yarn reads resolutions.
    ...(spec.packageManager === 'npm' ? { overrides: OVERRIDES } : spec.packageManager === 'pnpm' ? { pnpm: { overrides: OVERRIDES } } : { resolutions: OVERRIDES }),
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2022"],
    "module": "node20",
    "moduleResolution": "node16",
    "types": ["node", "jest"],
    "strict": true,
    "experimentalDecorators": true,
    "emitDecoratorMetadata": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "forceConsistentCasingInFileNames": true,
    "noEmit": true
  },
  "include": ["src", "test"]
}
`;

const TSCONFIG_BUILD = `{
  "extends": "./tsconfig.json",
  "compilerOptions": { "noEmit": false, "rootDir": "src", "outDir": "dist", "types": ["node"], "sourceMap": true },
  "include": ["src"]
}
`;

const JEST_CONFIG = `// Tests run the TypeScript sources through @swc/jest, which keeps the decorator metadata the
// dependency injection reads. inversify (used by @pitaya-ts/core) ships ES modules only, so swc turns
// it into CommonJS for Jest too.
const swc = ['@swc/jest', {
  swcrc: false,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
}];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  transform: {
    '^.+\\\\.ts$': swc,
    '^.+/node_modules/(inversify|@inversifyjs)/.+\\\\.js$': swc,
  },
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs)/)'],
  testTimeout: 30000,
};
`;

function readme(spec: ProjectSpec): string {
  const run = `${spec.packageManager} start`;
  const test = `${spec.packageManager} test`;
  const cluster = spec.cluster
    ? `
This project is a cluster: a \`connector\` frontend holds the client connections (WebSocket 3250) and
forwards \`room.*\` routes to the \`room\` backend over gRPC; the servers find each other in etcd.
Start etcd first (\`etcd\` from your package manager or \`docker run -p 2379:2379 quay.io/coreos/etcd\`),
then each server type in its own terminal:

\`\`\`sh
SERVER_TYPE=room ${run}
SERVER_TYPE=connector ${run}     # PITAYA_CLUSTER_SD_ETCD_ENDPOINTS=host:2379 if etcd is elsewhere
\`\`\`
`
    : '';
  return `# ${spec.name}

A [pitaya-ts](https://github.com/topfreegames/pitaya) game server.

\`\`\`sh
${run}     # builds and serves WebSocket clients on port 3250 (PORT overrides it)
${test}          # type-checks and runs the tests (standalone: the app in memory through @pitaya-ts/testing)
\`\`\`
${cluster}
Talk to it by hand with \`npx pitaya-ts repl\` then \`connect localhost:3250\` and
\`request ${spec.cluster ? 'room' : 'game'}.room.join {"name":"ana"}\`. Add code with
\`npx pitaya-ts generate handler|remote|pipeline|module <name>\` (\`--dry-run\` shows the changes first).
`;
}

function roomHandler(cluster: boolean): string {
  return `import { Context, GROUPS, Handler, Inject, Notify, PitayaError, Route, type Groups, type OnInit } from '@pitaya-ts/core';
import { z } from 'zod';
${cluster ? "import { FRONTEND_TYPE } from '../cluster';\n" : ''}
/** Body of \`room.join\`: checked before the handler runs (a bad one is answered PIT-400). */
export const JoinRequest = z.object({ name: z.string().trim().min(1).max(32) });

/** Reply of \`room.join\`. */
export const JoinResponse = z.object({ code: z.number(), members: z.array(z.string()) });

/** A chat line, as sent with \`room.message\`; pushed to everyone as \`onMessage\` with its sender. */
export const ChatMessage = z.object({ text: z.string().max(500) });

/** A room players join and talk in. Each route is decorated explicitly: plain methods stay private helpers. */
@Handler('room')
export class RoomHandler implements OnInit {
  constructor(@Inject(GROUPS) private readonly groups: Groups) {}

  async onInit(): Promise<void> {
    await this.groups.create('room');
  }

  /** A request: binds the session to the player's name and answers with who is in the room. */
  @Route({ request: JoinRequest, response: JoinResponse })
  async join(ctx: Context, body: z.infer<typeof JoinRequest>): Promise<z.infer<typeof JoinResponse>> {
    await ctx.session.bind(body.name);
    await this.groups.add('room', body.name);
    // A frontend sees its sessions close; a backend learns about it from the frontend instead.
    if (ctx.session.isFrontend) ctx.session.onClose(() => this.groups.remove('room', body.name).catch(() => undefined));
    return { code: 0, members: await this.groups.members('room') };
  }

  /** A notify: no reply; the line is pushed to everyone in the room as \`onMessage\`. */
  @Notify({ request: ChatMessage })
  async message(ctx: Context, body: z.infer<typeof ChatMessage>): Promise<void> {
    if (!ctx.session.uid) throw new PitayaError('PIT-400', 'join the room first');
    await this.groups.broadcast('room', 'onMessage', { from: ctx.session.uid, text: body.text }${cluster ? ', { frontendType: FRONTEND_TYPE }' : ''});
  }
}
`;
}

const ROOM_REMOTE = `import { Context, GROUPS, Inject, Remote, Route, type Groups } from '@pitaya-ts/core';

/** Server-to-server routes of the room (\`app.rpc\` / \`RPC_CLIENT\` from other servers of a cluster). */
@Remote('room')
export class RoomRemote {
  constructor(@Inject(GROUPS) private readonly groups: Groups) {}

  /** How many players are in the room. */
  @Route()
  async count(_ctx: Context): Promise<{ count: number }> {
    return { count: await this.groups.count('room') };
  }
}
`;

const TIMING_PIPELINE = `import { Context, Inject, LOGGER, Pipeline, type BeforePipeline, type Logger } from '@pitaya-ts/core';

/** Runs before every handler route: logs who called what (at debug level). */
@Pipeline()
export class TimingPipeline implements BeforePipeline {
  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  before(ctx: Context, body: unknown): unknown {
    this.log.debug({ route: ctx.route, uid: ctx.session.uid }, 'request');
    return body;
  }
}
`;

const APP_MODULE = `import { DocsModule, Module } from '@pitaya-ts/core';
import { TimingPipeline } from './common/timing.pipeline';
import { RoomHandler } from './room/room.handler';
import { RoomRemote } from './room/room.remote';

/**
 * The application. \`pitaya-ts generate\` adds new handlers, remotes, pipelines and modules here.
 * DocsModule serves the route list \`pitaya-ts repl\` completes from; drop it to keep routes private.
 */
@Module({
  imports: [DocsModule],
  handlers: [RoomHandler],
  remotes: [RoomRemote],
  pipelines: [TimingPipeline],
})
export class AppModule {}
`;

const STANDALONE_APP = `import { Pitaya, ws, type PitayaApplication, type PitayaOptions } from '@pitaya-ts/core';
import { AppModule } from './app.module';

/** Server type: the first part of every route (\`game.room.join\`). */
export const SERVER_TYPE = 'game';

/** Creates the server; \`main.ts\` starts it; the tests build AppModule with a testing module instead. */
export function createApp(options: { port: number; host?: string } & Partial<PitayaOptions>): Promise<PitayaApplication> {
  const { port, host, ...rest } = options;
  return Pitaya.create(AppModule, { serverType: SERVER_TYPE, acceptors: [ws({ port, host })], ...rest });
}
`;

const STANDALONE_MAIN = `import { createApp } from './app';

async function main(): Promise<void> {
  const app = await createApp({ port: Number(process.env.PORT ?? 3250), host: process.env.HOST ?? '0.0.0.0' });
  app.enableShutdownHooks();
  await app.start();
  app.log.info(\`listening on ws://localhost:\${app.listening[0]!.port}\`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
`;

const STANDALONE_TEST = `import { Test, type TestingApp } from '@pitaya-ts/testing';
import { SERVER_TYPE } from '../src/app';
import { AppModule } from '../src/app.module';

// The application module, started in memory (no ports) by a testing module; override providers
// with .overrideProvider(TOKEN).useValue(fake) before compile() to isolate a handler.
describe('room', () => {
  let testing: TestingApp;

  beforeAll(async () => {
    testing = await Test.createTestingModule(AppModule).compile({ serverType: SERVER_TYPE });
  });
  afterAll(() => testing.close());

  it('joins with a request and broadcasts a notify to the room', async () => {
    const ana = await testing.connect();
    const bob = await testing.connect();
    expect(await ana.request('game.room.join', { name: 'ana' })).toEqual({ code: 0, members: ['ana'] });
    expect(await bob.request('game.room.join', { name: 'bob' })).toEqual({ code: 0, members: ['ana', 'bob'] });
    const received = new Promise((resolve) => ana.on('onMessage', resolve));
    bob.notify('game.room.message', { text: 'hello' });
    expect(await received).toEqual({ from: 'bob', text: 'hello' });
  });

  it('answers a bad body with PIT-400', async () => {
    const eve = await testing.connect();
    await expect(eve.request('game.room.join', { name: '' })).rejects.toMatchObject({ code: 'PIT-400' });
  });
});
`;

const CLUSTER_TS = `import { ClusterModule } from '@pitaya-ts/cluster';
import type { DynamicModule } from '@pitaya-ts/core';

/** Server type of the frontend holding client connections. */
export const FRONTEND_TYPE = 'connector';
/** Server type of the room backend (routes \`room.room.*\`). */
export const BACKEND_TYPE = 'room';

/** Where the cluster's etcd is; default \`PITAYA_CLUSTER_SD_ETCD_ENDPOINTS\`, else localhost:2379. */
export interface ClusterSettings {
  readonly etcdEndpoints?: readonly string[];
  /** Servers sharing a prefix see each other (default \`pitaya/\`). */
  readonly etcdPrefix?: string;
}

/** The cluster module every server type imports: etcd discovery and gRPC on a free port. */
export function cluster(settings: ClusterSettings = {}): DynamicModule {
  return ClusterModule.forRoot({
    etcd: { endpoints: settings.etcdEndpoints, prefix: settings.etcdPrefix },
    config: { cluster: { rpc: { server: { grpc: { port: 0 } } } } },
  });
}
`;

const CONNECTOR_MODULE = `import { Module } from '@pitaya-ts/core';

/** The frontend: holds the connections; routes of other server types are forwarded to them. */
@Module({})
export class ConnectorModule {}
`;

const ROOM_MODULE = `import { DocsModule, Module } from '@pitaya-ts/core';
import { TimingPipeline } from '../common/timing.pipeline';
import { RoomHandler } from './room.handler';
import { RoomRemote } from './room.remote';

/**
 * The room backend. \`pitaya-ts generate\` adds new handlers, remotes, pipelines and modules here.
 * DocsModule serves the route list (\`room.docsHandler.docs\`); drop it to keep routes private.
 */
@Module({
  imports: [DocsModule],
  handlers: [RoomHandler],
  remotes: [RoomRemote],
  pipelines: [TimingPipeline],
})
export class RoomModule {}
`;

const CLUSTER_APP = `import { Pitaya, ws, type PitayaApplication, type PitayaOptions } from '@pitaya-ts/core';
import { BACKEND_TYPE, cluster, FRONTEND_TYPE, type ClusterSettings } from './cluster';
import { ConnectorModule } from './connector.module';
import { RoomModule } from './room/room.module';

type Extra = ClusterSettings & Partial<PitayaOptions>;

/** The frontend, accepting WebSocket clients on \`port\`. */
export function createConnector(options: { port: number; host?: string } & Extra): Promise<PitayaApplication> {
  const { port, host, etcdEndpoints, etcdPrefix, ...rest } = options;
  return Pitaya.create(
    { module: ConnectorModule, imports: [cluster({ etcdEndpoints, etcdPrefix })] },
    { serverType: FRONTEND_TYPE, acceptors: [ws({ port, host })], ...rest },
  );
}

/** The room backend (no client connections). */
export function createRoom(options: Extra = {}): Promise<PitayaApplication> {
  const { etcdEndpoints, etcdPrefix, ...rest } = options;
  return Pitaya.create(
    { module: RoomModule, imports: [cluster({ etcdEndpoints, etcdPrefix })] },
    { serverType: BACKEND_TYPE, frontend: false, ...rest },
  );
}
`;

const CLUSTER_MAIN = `import type { PitayaApplication } from '@pitaya-ts/core';
import { createConnector, createRoom } from './app';
import { BACKEND_TYPE, FRONTEND_TYPE } from './cluster';

/** Starts one server of the type named by SERVER_TYPE (or the first argument). */
async function main(): Promise<void> {
  const type = process.argv[2] ?? process.env.SERVER_TYPE ?? FRONTEND_TYPE;
  let app: PitayaApplication;
  if (type === FRONTEND_TYPE) app = await createConnector({ port: Number(process.env.PORT ?? 3250), host: process.env.HOST ?? '0.0.0.0' });
  else if (type === BACKEND_TYPE) app = await createRoom();
  else throw new Error(\`unknown server type "\${type}": use \${FRONTEND_TYPE} or \${BACKEND_TYPE}\`);
  app.enableShutdownHooks();
  await app.start();
  app.log.info(type === FRONTEND_TYPE ? \`\${type} listening on ws://localhost:\${app.listening[0]!.port}\` : \`\${type} started\`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
`;

const CLUSTER_TEST = `import { randomUUID } from 'node:crypto';
import { PitayaClient } from '@pitaya-ts/client/node';
import { createLogger, type PitayaApplication } from '@pitaya-ts/core';
import { startEtcd, waitFor, type EtcdHandle } from '@pitaya-ts/testing';
import { createConnector, createRoom } from '../src/app';

// A throwaway etcd on a free port (needs the etcd binary on the PATH, or ETCD_BIN).
describe('cluster', () => {
  let etcd: EtcdHandle;
  let connector: PitayaApplication;
  let room: PitayaApplication;
  let url: string;
  const clients: PitayaClient[] = [];

  beforeAll(async () => {
    etcd = await startEtcd();
    const settings = { etcdEndpoints: [etcd.endpoint], etcdPrefix: \`test-\${randomUUID()}/\`, logger: createLogger({ level: 'silent' }) };
    room = await createRoom(settings);
    await room.start();
    connector = await createConnector({ port: 0, host: '127.0.0.1', ...settings });
    await connector.start();
    url = \`ws://127.0.0.1:\${connector.listening[0]!.port}\`;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await connector?.close();
    await room?.close();
    await etcd?.stop();
  });

  it('forwards room routes to the backend, which pushes back through the connector', async () => {
    const ana = await PitayaClient.connect(url);
    const bob = await PitayaClient.connect(url);
    clients.push(ana, bob);
    // The connector learns about the room backend from etcd: retry until it is discovered.
    await waitFor(async () => (await ana.request('room.room.join', { name: 'ana' }).then(() => true, () => false)), { timeoutMs: 15000 });
    expect(await bob.request('room.room.join', { name: 'bob' })).toEqual({ code: 0, members: ['ana', 'bob'] });
    const received = new Promise((resolve) => ana.on('onMessage', resolve));
    bob.notify('room.room.message', { text: 'hello' });
    expect(await received).toEqual({ from: 'bob', text: 'hello' });
  });
});
`;
