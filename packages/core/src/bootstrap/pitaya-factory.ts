import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import * as protobuf from 'protobufjs';
import { Container } from 'inversify';
import { RouteDictionary } from '@pitaya-ts/protocol';
import { AgentServices } from '../agent/agent-factory';
import { HandshakeService } from '../agent/handshake-service';
import { HeartbeatScheduler } from '../agent/heartbeat-scheduler';
import { MessageEncoder } from '../agent/message-encoder';
import { resolveConfig } from '../config/config-resolver';
import { PITAYA_CONFIG_KEYS, type PitayaConfig } from '../config/pitaya-config';
import { bindProviders, checkDependenciesBound, checkParameterTypes, providerToken, resolveOrFail } from '../container/container-builder';
import { scanModules } from '../container/module-scanner';
import {
  FORWARDER, GROUPS, LOGGER, METRICS_REPORTER, PITAYA_CONFIG, PROTOBUF_SERIALIZER, RPC_CLIENT, SERIALIZER, SERVER_INFO, USER_MESSENGER,
} from '../container/tokens';
import type { ModuleImport, Provider, ServiceIdentifier, Type } from '../container/types';
import { Dispatcher } from '../dispatch/dispatcher';
import { StandaloneForwarder } from '../dispatch/forwarder';
import { exploreRoutes } from '../dispatch/route-explorer';
import { RouteTable } from '../dispatch/route-table';
import { BootstrapError } from '../errors/bootstrap-error';
import { MemoryGroups } from '../groups/memory-groups';
import { createLogger } from '../logger';
import { NoopMetricsReporter } from '../metrics/metrics-reporter';
import { ModuleRegistry } from '../modules/module-registry';
import { StandaloneRpcClient } from '../rpc/rpc-client';
import { JsonSerializer } from '../serialize/json-serializer';
import { ProtobufSerializer } from '../serialize/protobuf-serializer';
import type { Serializer } from '../serialize/serializer';
import type { ServerIdentity } from '../server-identity';
import { LocalUserMessenger } from '../session/local-user-messenger';
import { SessionPool } from '../session/session-pool';
import { Timers } from '../timers/timers';
import { PitayaApplication } from './application';
import type { PitayaOptions } from './options';

/** Framework services bound to themselves. */
const FRAMEWORK_CLASSES: readonly Type[] = [
  SessionPool, Dispatcher, MessageEncoder, HandshakeService, HeartbeatScheduler, AgentServices, Timers, ModuleRegistry,
  LocalUserMessenger,
];

/** Replaceable parts with their defaults; any module may rebind the token. */
const DEFAULT_PROVIDERS: readonly Provider[] = [
  { provide: GROUPS, useClass: MemoryGroups },
  { provide: USER_MESSENGER, useExisting: LocalUserMessenger },
  { provide: FORWARDER, useClass: StandaloneForwarder },
  { provide: RPC_CLIENT, useClass: StandaloneRpcClient },
  { provide: METRICS_REPORTER, useClass: NoopMetricsReporter },
];

/** Where applications are made, NestJS-style. */
export class Pitaya {
  /**
   * Builds an application from its root module: scans the module tree, binds everything in one
   * container, checks every dependency, builds the route table and instantiates every provider.
   * Nothing listens until `start()`. Any declaration error rejects with a `BootstrapError`.
   */
  static async create(root: ModuleImport, options: PitayaOptions): Promise<PitayaApplication> {
    const config = resolveConfig<PitayaConfig>(PITAYA_CONFIG_KEYS, options.config, options.env ?? process.env);
    const server = serverIdentity(options);
    const log = options.logger ?? createLogger({ base: { server: server.type } });
    const protobufSerializer = protobufSerializerOf(options);
    const serializer = clientSerializer(options, config, protobufSerializer);
    const acceptors = options.acceptors ?? [];
    if (server.frontend && acceptors.length === 0) {
      throw new BootstrapError('NO_ACCEPTOR', `frontend server ${server.type} needs at least one acceptor (ws({ port }) or tcp({ port }))`);
    }
    if (!server.frontend && acceptors.length > 0) {
      throw new BootstrapError('NO_ACCEPTOR', `backend server ${server.type} must not have acceptors (set frontend: true to accept clients)`);
    }

    const scanned = scanModules(root);
    const explored = exploreRoutes({
      serverType: server.type,
      routeNameTransform: options.routeNameTransform,
      serializer,
      jsonSerializer: serializer instanceof JsonSerializer ? serializer : new JsonSerializer(),
      protobufSerializer,
      dictionary: options.dictionary,
      handlers: scanned.handlers,
      remotes: scanned.remotes,
      pipelines: scanned.pipelines,
    });
    const userClasses = [
      ...scanned.providers.flatMap((p) => (typeof p === 'function' ? [p] : 'useClass' in p ? [p.useClass] : [])),
      ...scanned.handlers, ...scanned.remotes, ...scanned.pipelines,
    ];
    checkParameterTypes(userClasses);
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(SERVER_INFO).toConstantValue(server);
    container.bind(PITAYA_CONFIG).toConstantValue(config);
    container.bind(LOGGER).toConstantValue(log);
    container.bind(SERIALIZER).toConstantValue(serializer);
    if (protobufSerializer) container.bind(PROTOBUF_SERIALIZER).toConstantValue(protobufSerializer);
    container.bind(RouteTable).toConstantValue(explored.table);
    container.bind(RouteDictionary).toConstantValue(explored.table.dictionary);
    for (const cls of FRAMEWORK_CLASSES) container.bind(cls).toSelf().inSingletonScope();
    bindProviders(container, DEFAULT_PROVIDERS);
    bindProviders(container, scanned.providers);
    for (const cls of [...scanned.handlers, ...scanned.remotes, ...scanned.pipelines]) {
      if (!container.isBound(cls)) container.bind(cls).toSelf().inSingletonScope();
    }
    checkDependenciesBound(container, [...FRAMEWORK_CLASSES, ...DEFAULT_PROVIDERS.flatMap((p) => ('useClass' in p ? [p.useClass] : [])), ...userClasses]);

    // Instantiate providers in declaration order (async factories included) so failures surface now.
    const tokens: ServiceIdentifier[] = [...new Set([...DEFAULT_PROVIDERS, ...scanned.providers].map(providerToken))];
    const providerInstances: unknown[] = [];
    for (const token of tokens) providerInstances.push(await resolveOrFail(container, token));
    for (const cls of [...scanned.handlers, ...scanned.remotes, ...scanned.pipelines]) await resolveOrFail(container, cls);

    explored.install(container);
    const routes = explored.table;

    const pool = container.get(SessionPool);
    for (const [name, validator] of Object.entries(options.handshakeValidators ?? {})) pool.addHandshakeValidator(name, validator);

    const lifecycle = uniqueObjects([
      ...providerInstances,
      ...[...scanned.handlers, ...scanned.remotes, ...scanned.pipelines].map((cls) => container.get(cls)),
    ]);
    log.debug({ modules: scanned.modules, handlers: routes.handlers.length, remotes: routes.remotes.length }, 'application assembled');
    return new PitayaApplication(container, server, config, routes, acceptors, lifecycle, log);
  }
}

function serverIdentity(options: PitayaOptions): ServerIdentity {
  const type = options.serverType;
  if (typeof type !== 'string' || !/^[^./\s]+$/.test(type)) {
    throw new BootstrapError('INVALID_CONFIG', `serverType "${String(type)}" is invalid: it must be non-empty, without ".", "/" or spaces`);
  }
  const id = options.serverId ?? randomUUID();
  if (!/^[^/\s]+$/.test(id)) throw new BootstrapError('INVALID_CONFIG', `serverId "${id}" is invalid: it must be non-empty, without "/" or spaces`);
  return Object.freeze({
    id,
    type,
    metadata: Object.freeze({ ...options.metadata }),
    frontend: options.frontend ?? (options.acceptors?.length ?? 0) > 0,
    hostname: options.hostname ?? hostname(),
  });
}

function protobufSerializerOf(options: PitayaOptions): ProtobufSerializer | undefined {
  const proto = options.protobuf;
  if (!proto) return undefined;
  try {
    if (proto.root) return new ProtobufSerializer(proto.root, proto.pushTypes);
    if (proto.files && proto.files.length > 0) return new ProtobufSerializer(protobuf.loadSync([...proto.files]), proto.pushTypes);
  } catch (error) {
    throw new BootstrapError('INVALID_CONFIG', `cannot load the protobuf definitions: ${(error as Error).message}`, { cause: error });
  }
  return undefined;
}

function clientSerializer(options: PitayaOptions, config: PitayaConfig, protobufSerializer: ProtobufSerializer | undefined): Serializer {
  const byType = config.serializerType === 1 ? 'json' : config.serializerType === 2 ? 'protobuf' : undefined;
  const choice = byType ?? options.serializer ?? 'json';
  if (typeof choice === 'object') return choice;
  if (choice === 'json') return new JsonSerializer();
  if (!protobufSerializer) {
    throw new BootstrapError('INVALID_CONFIG', 'the protobuf serializer needs protobuf definitions: set the option protobuf: { files: [...] } or { root }');
  }
  return protobufSerializer;
}

function uniqueObjects(values: readonly unknown[]): object[] {
  const seen = new Set<object>();
  for (const value of values) if (value !== null && typeof value === 'object') seen.add(value);
  return [...seen];
}
