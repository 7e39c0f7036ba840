import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import * as protobuf from 'protobufjs';
import { Container } from 'inversify';
import { RouteDictionary } from '@pitaya-ts/protocol';
import { AgentServices } from '../agent/agent-factory';
import { ConnectionGuard } from '../agent/connection-guard';
import { HandshakeService } from '../agent/handshake-service';
import { HeartbeatScheduler } from '../agent/heartbeat-scheduler';
import { MessageEncoder } from '../agent/message-encoder';
import type { Acceptor } from '../acceptors/acceptor';
import { resolveConfig } from '../config/config-resolver';
import { loadConfigSource, type ConfigSource } from '../config/config-source';
import { ConfigService } from '../config/config-service';
import { PITAYA_CONFIG_KEYS, type PitayaConfig } from '../config/pitaya-config';
import {
  bindProviders, checkDependenciesBound, checkParameterTypes, declareMultiToken, injectionsOf, multiClasses, providerToken, resolveOrFail,
} from '../container/container-builder';
import { checkVisibility, scanModules, type ScannedApplication } from '../container/module-scanner';
import {
  ACCEPTORS, CONFIG_SOURCE, FORWARDER, GROUPS, HANDSHAKE_VALIDATORS, LOGGER, METRICS_REPORTER, MULTI_TOKENS, PITAYA_CONFIG, PROTOBUF_SERIALIZER,
  RPC_CLIENT, SERIALIZER, SERIALIZERS, SERVER_INFO, USER_MESSENGER, type NamedHandshakeValidator,
} from '../container/tokens';
import type { ModuleImport, Provider, ServiceIdentifier, Type } from '../container/types';
import { Dispatcher } from '../dispatch/dispatcher';
import { StandaloneForwarder } from '../dispatch/forwarder';
import { exploreRoutes } from '../dispatch/route-explorer';
import { RouteTable } from '../dispatch/route-table';
import { BootstrapError } from '../errors/bootstrap-error';
import { MemoryGroups } from '../groups/memory-groups';
import { createLogger, type Logger } from '../logger';
import { NoopMetricsReporter } from '../metrics/metrics-reporter';
import { NoopTracer, TRACER } from '../metrics/tracer';
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
  LocalUserMessenger, ConfigService, ConnectionGuard,
];

/** Replaceable parts with their defaults; any module may rebind the token. */
const DEFAULT_PROVIDERS: readonly Provider[] = [
  { provide: GROUPS, useClass: MemoryGroups },
  { provide: USER_MESSENGER, useExisting: LocalUserMessenger },
  { provide: FORWARDER, useClass: StandaloneForwarder },
  { provide: RPC_CLIENT, useClass: StandaloneRpcClient },
  { provide: METRICS_REPORTER, useClass: NoopMetricsReporter },
  { provide: TRACER, useClass: NoopTracer },
];

/** Where applications are made, NestJS-style. */
export class Pitaya {
  /**
   * Builds an application from its root module: scans the module tree, binds everything in one
   * container, checks every dependency (and that each module may see it), builds the route table
   * and instantiates every provider. Nothing listens until `start()`. Any declaration error rejects
   * with a `BootstrapError`.
   */
  static async create(root: ModuleImport, options: PitayaOptions): Promise<PitayaApplication> {
    const settings = resolveSettings(options);
    const scanned = scanModules(root);
    const server = serverIdentity(options, scanned.providers.some((p) => providerToken(p) === ACCEPTORS));
    const log = options.logger ?? createLogger({ base: { server: server.type } });
    const container = buildContainer(scanned, { ...settings, server, log, options });
    const contributed = await resolveContributions(container, options);
    const serializer = clientSerializer(options, settings.config, settings.protobufSerializer, contributed.serializers);
    container.bind(SERIALIZER).toConstantValue(serializer);
    checkAcceptors(server, contributed.acceptors);
    const explored = exploreRoutes({
      serverType: server.type,
      routeNameTransform: options.routeNameTransform,
      serializer,
      jsonSerializer: serializer instanceof JsonSerializer ? serializer : new JsonSerializer(),
      protobufSerializer: settings.protobufSerializer,
      dictionary: options.dictionary,
      handlers: scanned.handlers,
      remotes: scanned.remotes,
      pipelines: scanned.pipelines,
      guards: scanned.guards,
      filters: scanned.filters,
    });
    container.bind(RouteTable).toConstantValue(explored.table);
    container.bind(RouteDictionary).toConstantValue(explored.table.dictionary);
    const instances = await instantiate(container, scanned);
    explored.install(container);

    const pool = container.get(SessionPool);
    for (const { name, validate } of contributed.validators) pool.addHandshakeValidator(name, validate);
    log.debug({ modules: scanned.modules, handlers: explored.table.handlers.length, remotes: explored.table.remotes.length }, 'application assembled');
    return new PitayaApplication(container, server, settings.config, explored.table, contributed.acceptors, instances, log);
  }
}

/** Step 1: configuration (defaults ← config file ← code ← `PITAYA_*`) and protobuf definitions, before any module is read. */
function resolveSettings(options: PitayaOptions): { config: PitayaConfig; source: ConfigSource; protobufSerializer: ProtobufSerializer | undefined } {
  const source = loadConfigSource(options);
  const config = resolveConfig<PitayaConfig>(PITAYA_CONFIG_KEYS, options.config, source);
  return { config, source, protobufSerializer: protobufSerializerOf(options) };
}

/**
 * Step 3: one container with the framework's services and defaults, then every module's providers
 * (imported modules first, so importers override). Checks that each module only injects what it
 * may see, and that every dependency is provided, before anything is constructed.
 */
function buildContainer(
  scanned: ScannedApplication,
  base: { config: PitayaConfig; source: ConfigSource; protobufSerializer: ProtobufSerializer | undefined; server: ServerIdentity; log: Logger; options: PitayaOptions },
): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(SERVER_INFO).toConstantValue(base.server);
  container.bind(PITAYA_CONFIG).toConstantValue(base.config);
  container.bind(CONFIG_SOURCE).toConstantValue(base.source);
  container.bind(LOGGER).toConstantValue(base.log);
  if (base.protobufSerializer) container.bind(PROTOBUF_SERIALIZER).toConstantValue(base.protobufSerializer);
  for (const cls of FRAMEWORK_CLASSES) container.bind(cls).toSelf().inSingletonScope();
  for (const token of MULTI_TOKENS) declareMultiToken(container, token);
  bindProviders(container, [...DEFAULT_PROVIDERS, ...optionContributions(base.options)]);

  const userClasses = [
    ...scanned.providers.flatMap((p) => (typeof p === 'function' ? [p] : 'useClass' in p ? [p.useClass] : [])),
    ...scanned.handlers, ...scanned.remotes, ...scanned.pipelines, ...scanned.guards, ...scanned.filters,
  ];
  checkParameterTypes(userClasses);
  const frameworkTokens = new Set<ServiceIdentifier>([
    SERVER_INFO, PITAYA_CONFIG, CONFIG_SOURCE, LOGGER, SERIALIZER, PROTOBUF_SERIALIZER, RouteTable, RouteDictionary,
    ...FRAMEWORK_CLASSES, ...MULTI_TOKENS, ...DEFAULT_PROVIDERS.map(providerToken),
  ]);
  checkVisibility(scanned, frameworkTokens, injectionsOf);
  bindProviders(container, scanned.providers);
  for (const cls of [...multiClasses(scanned.providers), ...scanned.handlers, ...scanned.remotes, ...scanned.pipelines, ...scanned.guards, ...scanned.filters]) {
    if (!container.isBound(cls)) container.bind(cls).toSelf().inSingletonScope();
  }
  // RouteTable and the serializer are bound once the contributions are known (step 4); nothing is resolved before.
  checkDependenciesBound(container, [...FRAMEWORK_CLASSES, ...DEFAULT_PROVIDERS.flatMap((p) => ('useClass' in p ? [p.useClass] : [])), ...userClasses], new Set([RouteTable, RouteDictionary, SERIALIZER]));
  return container;
}

/** What `Pitaya.create` options contribute to the multi-provider tokens, ahead of the modules' contributions. */
function optionContributions(options: PitayaOptions): Provider[] {
  return [
    ...(options.acceptors ?? []).map((acceptor): Provider => ({ provide: ACCEPTORS, useValue: acceptor, multi: true })),
    ...Object.entries(options.handshakeValidators ?? {}).map(([name, validate]): Provider => ({ provide: HANDSHAKE_VALIDATORS, useValue: { name, validate }, multi: true })),
  ];
}

/** Step 4: the values modules contributed to the framework's multi-provider tokens. */
async function resolveContributions(container: Container, _options: PitayaOptions): Promise<{
  acceptors: readonly Acceptor[]; validators: readonly NamedHandshakeValidator[]; serializers: readonly Serializer[];
}> {
  return {
    acceptors: await resolveOrFail<Acceptor[]>(container, ACCEPTORS),
    validators: await resolveOrFail<NamedHandshakeValidator[]>(container, HANDSHAKE_VALIDATORS),
    serializers: await resolveOrFail<Serializer[]>(container, SERIALIZERS),
  };
}

function checkAcceptors(server: ServerIdentity, acceptors: readonly Acceptor[]): void {
  if (server.frontend && acceptors.length === 0) {
    throw new BootstrapError('NO_ACCEPTOR', `frontend server ${server.type} needs at least one acceptor (ws({ port }) or tcp({ port }))`);
  }
  if (!server.frontend && acceptors.length > 0) {
    throw new BootstrapError('NO_ACCEPTOR', `backend server ${server.type} must not have acceptors (set frontend: true to accept clients)`);
  }
}

/**
 * Step 6: instantiates providers in declaration order (async factories included) so failures
 * surface now, then handlers, remotes, pipelines, guards and filters. Returns the objects whose
 * lifecycle hooks the application runs.
 */
async function instantiate(container: Container, scanned: ScannedApplication): Promise<object[]> {
  const tokens: ServiceIdentifier[] = [...new Set([...DEFAULT_PROVIDERS, ...scanned.providers].map(providerToken))];
  const instances: unknown[] = [];
  for (const token of tokens) instances.push(await resolveOrFail(container, token));
  const routeClasses = [...scanned.handlers, ...scanned.remotes, ...scanned.pipelines, ...scanned.guards, ...scanned.filters];
  for (const cls of routeClasses) instances.push(await resolveOrFail(container, cls));
  const multi = new Set<ServiceIdentifier>([...MULTI_TOKENS, ...scanned.providers.flatMap((p) => (typeof p !== 'function' && p.multi === true ? [p.provide] : []))]);
  return uniqueObjects(instances.flatMap((value, i) => (i < tokens.length && multi.has(tokens[i]!) && Array.isArray(value) ? value : [value])));
}

function serverIdentity(options: PitayaOptions, modulesContributeAcceptors: boolean): ServerIdentity {
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
    frontend: options.frontend ?? ((options.acceptors?.length ?? 0) > 0 || modulesContributeAcceptors),
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

function clientSerializer(
  options: PitayaOptions, config: PitayaConfig, protobufSerializer: ProtobufSerializer | undefined, contributed: readonly Serializer[],
): Serializer {
  const byType = config.serializerType === 1 ? 'json' : config.serializerType === 2 ? 'protobuf' : undefined;
  const choice = byType ?? options.serializer ?? 'json';
  if (typeof choice === 'object') return choice;
  const named = contributed.find((s) => s.name === choice);
  if (named) return named;
  if (choice === 'json') return new JsonSerializer();
  if (choice !== 'protobuf') {
    const known = ['json', 'protobuf', ...contributed.map((s) => s.name)].join(', ');
    throw new BootstrapError('INVALID_CONFIG', `serializer "${choice}" is unknown: use one of ${known}, or contribute it with { provide: SERIALIZERS, useValue, multi: true }`);
  }
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
