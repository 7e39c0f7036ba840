import type { Container } from 'inversify';
import { isStandardSchema, RouteDictionary } from '@pitaya-ts/protocol';
import type { Type } from '../container/types';
import { MetaKey } from '../decorators/metadata-keys';
import type { PipelineOptions, PipelineTarget, RouteOptions, ServiceOptions } from '../decorators/options';
import { BootstrapError } from '../errors/bootstrap-error';
import { isAfterPipeline, isBeforePipeline, type AfterPipeline, type BeforePipeline } from '../pipeline/pipeline.interfaces';
import type { Serializer } from '../serialize/serializer';
import type { ParamSource } from '../decorators/guard.decorators';
import { bindParams, buildEnhancer, paramPlan, type ParamPlan, type ResolvedFilter, type ResolvedGuard } from './enhancers';
import { METRICS_REPORTER } from '../container/tokens';
import { NoopMetricsReporter, type MetricsReporter } from '../metrics/metrics-reporter';
import { prepareValidator } from '../schema/body-validator';
import { RouteTable, type BodyMode, type PushEntry, type RouteEntry } from './route-table';

const LIFECYCLE_METHODS = new Set(['constructor', 'onInit', 'onAfterInit', 'onBeforeShutdown', 'onShutdown']);
const ROUTE_PART = /^[^.\s]+$/;
const MAX_ROUTE_BYTES = 255;

/** What the explorer needs. */
export interface RouteExplorerOptions {
  readonly serverType: string;
  /** Default method-name transform (Pitaya's `WithNameFunc`); a class's own `nameTransform` wins. */
  readonly routeNameTransform?: (method: string) => string;
  /** Serializer of client payloads (handler routes). */
  readonly serializer: Serializer;
  /** Serializer of remote routes without protobuf types. */
  readonly jsonSerializer: Serializer;
  /** Serializer of remote routes that declare protobuf types; absent when no protobuf root is configured. */
  readonly protobufSerializer?: Serializer & { lookup(name: string): unknown };
  readonly dictionary?: Readonly<Record<string, number>> | 'auto';
  readonly handlers: readonly Type[];
  readonly remotes: readonly Type[];
  readonly pipelines: readonly Type[];
  /** Application-wide `@Guard` classes (modules' `guards`). */
  readonly guards?: readonly Type[];
  /** Application-wide `@Catch` filters (modules' `filters`). */
  readonly filters?: readonly Type[];
}

/** A route as its metadata declares it, before any instance exists. */
interface RouteDescriptor extends Omit<RouteEntry, 'invoke' | 'before' | 'after' | 'enhanced' | 'validate'> {
  readonly cls: Type;
  readonly methodName: string;
  /** Set when the method's parameters are decorated (`@Body()`, `@Session()`…). */
  readonly params?: ParamPlan;
}

/** Routes worked out from metadata alone; `install()` attaches instances and pipelines. */
export interface ExploredRoutes {
  /** The table, empty until `install()`. */
  readonly table: RouteTable;
  install(container: Container): void;
}

/**
 * The only reader of handler, remote, route and pipeline metadata. First, from metadata alone, it
 * names and checks every route (so naming errors stop start-up before anything is constructed) and
 * derives the route dictionary; `build()` then binds the instances into the immutable
 * {@link RouteTable}. Errors name the class and method.
 */
export function exploreRoutes(options: RouteExplorerOptions): ExploredRoutes {
  const pushes: PushEntry[] = [];
  const handlers = describe(options.handlers, 'handler', options, pushes);
  const remotes = describe(options.remotes, 'remote', options);
  const dictionary = buildDictionary(options.dictionary, handlers);
  const table = new RouteTable(dictionary);
  return {
    table,
    install: (container) => {
      const pipelines = new PipelineResolver(container, options.pipelines);
      const enhancers = new EnhancerResolver(container, options.guards ?? [], options.filters ?? []);
      const metrics = container.isBound(METRICS_REPORTER) ? container.get<MetricsReporter>(METRICS_REPORTER) : new NoopMetricsReporter();
      const attach = (d: RouteDescriptor): RouteEntry => {
        const instance = container.get(d.cls) as Record<string, unknown>;
        const fn = instance[d.methodName] as (...args: unknown[]) => unknown;
        const chain = pipelines.for(d);
        const { cls: _cls, methodName: _method, params, ...entry } = d;
        const enhanced = enhancers.for(d);
        return Object.freeze({
          ...entry,
          invoke: (params ? bindParams(fn, instance, params) : fn.bind(instance)) as RouteEntry['invoke'],
          validate: d.request ? prepareValidator(d.request, metrics) : undefined,
          before: Object.freeze(chain.filter(isBeforePipeline) as BeforePipeline[]),
          after: Object.freeze(chain.filter(isAfterPipeline) as AfterPipeline[]),
          ...(enhanced ? { enhanced } : {}),
        });
      };
      table.install(handlers.map(attach), remotes.map(attach), pushes);
    },
  };
}

function describe(classes: readonly Type[], kind: 'handler' | 'remote', options: RouteExplorerOptions, pushes: PushEntry[] = []): RouteDescriptor[] {
  const metaKey = kind === 'handler' ? MetaKey.Handler : MetaKey.Remote;
  const decorator = kind === 'handler' ? '@Handler()' : '@Remote()';
  const services = new Map<string, string>();
  const seen = new Map<string, string>();
  const routes: RouteDescriptor[] = [];
  const pushOwners = new Map<string, string>();
  for (const cls of classes) {
    const serviceOptions = Reflect.getOwnMetadata(metaKey, cls) as ServiceOptions | undefined;
    if (!serviceOptions) {
      throw new BootstrapError('INVALID_PROVIDER', `${cls.name} is listed in a module's ${kind}s but has no ${decorator} decorator`);
    }
    const service = serviceOptions.name ?? defaultServiceName(cls.name);
    checkPart(service, `${cls.name}: service name "${service}"`);
    const other = services.get(service);
    if (other) throw new BootstrapError('DUPLICATE_SERVICE', `${cls.name} and ${other} both declare the ${kind} service "${service}"`);
    services.set(service, cls.name);
    const transform = serviceOptions.nameTransform ?? options.routeNameTransform ?? ((m: string) => m);
    const declared = declaredRoutes(cls, serviceOptions);
    if (declared.length === 0) {
      throw new BootstrapError('INVALID_ROUTE', `${cls.name} is a ${decorator} class without routes: routes are opt-in, mark each one with @Route() or @Notify() (or declare them with a defineService contract)`);
    }
    for (const { methodName, routeOptions, fromContract } of declared) {
      const owner = `${cls.name}.${methodName}`;
      const method = routeOptions.name ?? (fromContract ? methodName : transform(methodName));
      checkPart(method, `${owner}: route name "${method}"`);
      const route = `${options.serverType}.${service}.${method}`;
      if (Buffer.byteLength(route) > MAX_ROUTE_BYTES) {
        throw new BootstrapError('ILLEGAL_ROUTE_NAME', `${owner}: route ${route} is longer than ${MAX_ROUTE_BYTES} bytes, the wire limit`);
      }
      const previous = seen.get(route);
      if (previous) throw new BootstrapError('DUPLICATE_ROUTE', `${route} is declared twice: by ${previous} and ${owner}`);
      seen.set(route, owner);
      const params = paramsOf(cls, methodName, owner);
      const bodyMode = bodyModeWithSchema(routeOptions, routeOptions.raw ? 'raw' : params ? paramBodyMode(cls, methodName, params) : bodyModeOf(cls, methodName), owner);
      routes.push({
        cls,
        methodName,
        route,
        serverType: options.serverType,
        service,
        method,
        owner,
        kind,
        notify: routeOptions.notify === true,
        bodyMode,
        requestType: routeOptions.requestType,
        responseType: routeOptions.responseType,
        request: routeOptions.request,
        response: routeOptions.response,
        description: routeOptions.description,
        serializer: serializerFor(kind, routeOptions, bodyMode, owner, options),
        ...(params ? { params } : {}),
      });
    }
    if (kind === 'handler') pushes.push(...declaredPushes(cls, serviceOptions, pushOwners));
  }
  return routes;
}

/** Resolves pipeline instances once and computes each route's chain. */
class PipelineResolver {
  private readonly instances = new Map<Type, object>();
  private readonly global: { cls: Type; options: PipelineOptions }[];

  constructor(private readonly container: Container, classes: readonly Type[]) {
    this.global = classes
      .map((cls) => ({ cls, options: (Reflect.getOwnMetadata(MetaKey.Pipeline, cls) as PipelineOptions | undefined) ?? {} }))
      .sort((a, b) => (a.options.order ?? 0) - (b.options.order ?? 0));
    for (const { cls } of this.global) this.instance(cls, 'a module');
  }

  for(route: RouteDescriptor): object[] {
    const target: PipelineTarget = route.kind === 'handler' ? 'handlers' : 'remotes';
    const prototype = route.cls.prototype as object;
    const classLevel = (Reflect.getOwnMetadata(MetaKey.UsePipelines, route.cls) as Type[] | undefined) ?? [];
    const methodLevel = (Reflect.getOwnMetadata(MetaKey.UsePipelines, prototype, route.methodName) as Type[] | undefined) ?? [];
    return [
      ...this.global
        .filter((p) => (p.options.appliesTo ?? ['handlers']).includes(target) && matches(p.options.routes, route.route))
        .map((p) => this.instance(p.cls, route.owner)),
      ...classLevel.map((p) => this.instance(p, route.owner)),
      ...methodLevel.map((p) => this.instance(p, route.owner)),
    ];
  }

  private instance(cls: Type, usedBy: string): object {
    let instance = this.instances.get(cls);
    if (!instance) {
      if (!Reflect.hasOwnMetadata(MetaKey.Pipeline, cls)) {
        throw new BootstrapError('INVALID_PIPELINE', `${cls.name} (used by ${usedBy}) is not decorated with @Pipeline()`);
      }
      if (!this.container.isBound(cls)) this.container.bind(cls).toSelf().inSingletonScope();
      instance = this.container.get(cls) as object;
      if (!isBeforePipeline(instance) && !isAfterPipeline(instance)) {
        throw new BootstrapError('INVALID_PIPELINE', `${cls.name} is a @Pipeline but has neither a before() nor an after() method`);
      }
      this.instances.set(cls, instance);
    }
    return instance;
  }
}

function paramsOf(cls: Type, methodName: string, owner: string): ParamPlan | undefined {
  const declared = Reflect.getOwnMetadata(MetaKey.Params, cls.prototype as object, methodName) as { index: number; source: ParamSource }[] | undefined;
  if (!declared || declared.length === 0) return undefined;
  const fn = (cls.prototype as Record<string, unknown>)[methodName] as (...args: unknown[]) => unknown;
  return paramPlan(declared, fn.length, owner);
}

function paramBodyMode(cls: Type, methodName: string, params: ParamPlan): BodyMode {
  const index = params.indexOf('body');
  if (index < 0) return 'none';
  const type = (Reflect.getMetadata('design:paramtypes', cls.prototype as object, methodName) as unknown[] | undefined)?.[index];
  return type === Uint8Array || type === Buffer ? 'raw' : 'decoded';
}

/** Resolves guard and filter instances once and composes each route's wrapper. */
class EnhancerResolver {
  private readonly guards = new Map<Type, ResolvedGuard>();
  private readonly filters = new Map<Type, ResolvedFilter>();

  constructor(private readonly container: Container, private readonly globalGuards: readonly Type[], private readonly globalFilters: readonly Type[]) {
    for (const cls of globalGuards) this.guard(cls, 'a module');
    for (const cls of globalFilters) this.filter(cls, 'a module');
  }

  for(route: RouteDescriptor): RouteEntry['enhanced'] {
    const target: PipelineTarget = route.kind === 'handler' ? 'handlers' : 'remotes';
    const prototype = route.cls.prototype as object;
    const guards = [
      ...this.globalGuards,
      ...((Reflect.getOwnMetadata(MetaKey.UseGuards, route.cls) as Type[] | undefined) ?? []),
      ...((Reflect.getOwnMetadata(MetaKey.UseGuards, prototype, route.methodName) as Type[] | undefined) ?? []),
    ].map((cls) => this.guard(cls, route.owner)).filter((g) => (g.options.appliesTo ?? ['handlers']).includes(target));
    // Most specific first, like NestJS: the method's filters, the class's, then the application's.
    const filters = [
      ...((Reflect.getOwnMetadata(MetaKey.UseFilters, prototype, route.methodName) as Type[] | undefined) ?? []),
      ...((Reflect.getOwnMetadata(MetaKey.UseFilters, route.cls) as Type[] | undefined) ?? []),
      ...this.globalFilters,
    ].map((cls) => this.filter(cls, route.owner));
    return buildEnhancer(guards, filters);
  }

  private guard(cls: Type, usedBy: string): ResolvedGuard {
    let guard = this.guards.get(cls);
    if (!guard) {
      const options = Reflect.getOwnMetadata(MetaKey.Guard, cls) as ResolvedGuard['options'] | undefined;
      if (!options) throw new BootstrapError('INVALID_GUARD', `${cls.name} (used by ${usedBy}) is not decorated with @Guard()`);
      const instance = this.resolve(cls) as ResolvedGuard['instance'];
      if (typeof instance.canActivate !== 'function') throw new BootstrapError('INVALID_GUARD', `${cls.name} is a @Guard but has no canActivate() method`);
      this.guards.set(cls, (guard = { instance, options }));
    }
    return guard;
  }

  private filter(cls: Type, usedBy: string): ResolvedFilter {
    let filter = this.filters.get(cls);
    if (!filter) {
      const handles = Reflect.getOwnMetadata(MetaKey.Catch, cls) as Type[] | undefined;
      if (!handles) throw new BootstrapError('INVALID_FILTER', `${cls.name} (used by ${usedBy}) is not decorated with @Catch()`);
      const instance = this.resolve(cls) as ResolvedFilter['instance'];
      if (typeof instance.catch !== 'function') throw new BootstrapError('INVALID_FILTER', `${cls.name} is a @Catch filter but has no catch() method`);
      this.filters.set(cls, (filter = { instance, handles }));
    }
    return filter;
  }

  private resolve(cls: Type): object {
    if (!this.container.isBound(cls)) this.container.bind(cls).toSelf().inSingletonScope();
    return this.container.get(cls) as object;
  }
}

function serializerFor(kind: 'handler' | 'remote', route: RouteOptions, bodyMode: BodyMode, owner: string, options: RouteExplorerOptions): Serializer {
  const needsTypes = route.requestType !== undefined || route.responseType !== undefined;
  if (kind === 'handler') {
    const serializer = options.serializer as Serializer & { requiresTypes?: boolean; lookup?: (name: string) => unknown };
    if (serializer.requiresTypes && bodyMode === 'decoded' && route.requestType === undefined) {
      throw new BootstrapError('INVALID_CONFIG', `${owner} takes a body but declares no requestType; the ${serializer.name} serializer needs @Route({ requestType: 'package.Message' })`);
    }
    checkTypes(serializer.lookup?.bind(serializer), route, owner);
    return serializer;
  }
  if (!needsTypes) return options.jsonSerializer;
  if (!options.protobufSerializer) {
    throw new BootstrapError('INVALID_CONFIG', `${owner} declares protobuf types but no protobuf definitions are configured (option protobuf: { files } or { root })`);
  }
  checkTypes(options.protobufSerializer.lookup.bind(options.protobufSerializer), route, owner);
  return options.protobufSerializer;
}

function checkTypes(lookup: ((name: string) => unknown) | undefined, route: RouteOptions, owner: string): void {
  if (!lookup) return;
  for (const name of [route.requestType, route.responseType]) {
    if (name === undefined) continue;
    try {
      lookup(name);
    } catch {
      throw new BootstrapError('INVALID_CONFIG', `${owner} names the protobuf type "${name}", which the loaded definitions do not contain`);
    }
  }
}

function bodyModeOf(cls: Type, methodName: string): BodyMode {
  const fn = (cls.prototype as Record<string, unknown>)[methodName] as (...args: unknown[]) => unknown;
  const types = Reflect.getMetadata('design:paramtypes', cls.prototype as object, methodName) as unknown[] | undefined;
  const second = types?.[1];
  if (second === Uint8Array || second === Buffer) return 'raw';
  if (types ? types.length < 2 : fn.length < 2) return 'none';
  return 'decoded';
}

function buildDictionary(dictionary: RouteExplorerOptions['dictionary'], handlers: readonly RouteDescriptor[]): RouteDictionary {
  if (dictionary === undefined) return new RouteDictionary();
  const entries = dictionary === 'auto'
    ? Object.fromEntries([...handlers.map((h) => h.route)].sort().map((route, i) => [route, i + 1]))
    : dictionary;
  try {
    return new RouteDictionary(entries);
  } catch (error) {
    throw new BootstrapError('INVALID_CONFIG', `Invalid route dictionary: ${(error as Error).message}`, { cause: error });
  }
}

function matches(patterns: PipelineOptions['routes'], route: string): boolean {
  if (!patterns) return true;
  return patterns.some((p) => (typeof p === 'string' ? p === route : p.test(route)));
}

function checkPart(name: string, what: string): void {
  if (!ROUTE_PART.test(name)) {
    throw new BootstrapError('ILLEGAL_ROUTE_NAME', `${what} is not a valid route part: it must be non-empty, without "." or spaces`);
  }
}

/** `RoomHandler` → `room`; `ChatRemote` → `chat`; `Lobby` → `lobby`. */
export function defaultServiceName(className: string): string {
  const base = className.replace(/(Handler|Remote)$/, '') || className;
  return base.charAt(0).toLowerCase() + base.slice(1);
}

/** A method that is a route, with its merged options. */
interface DeclaredRoute {
  readonly methodName: string;
  readonly routeOptions: RouteOptions;
  /** Named by a `defineService` contract: the key is the route name, no transform applies. */
  readonly fromContract: boolean;
}

/**
 * The routes of a handler or remote class — opt-in, like NestJS's message handlers: methods carrying
 * `@Route()`/`@Notify()` (on the class or a base class), plus the routes of its contract. Nothing else,
 * so helpers (TypeScript-`private` ones included, which are public at run time), inherited utilities
 * and lifecycle hooks can never be invoked by a client or an RPC. Decorating a lifecycle hook or a
 * `_name` is refused, as is a contract route without its method.
 */
export function declaredRoutes(cls: Type, serviceOptions: ServiceOptions = {}): DeclaredRoute[] {
  const prototype = cls.prototype as object;
  const out = new Map<string, DeclaredRoute>();
  const contractRoutes = serviceOptions.contract?.routes ?? {};
  for (const methodName of Object.keys(contractRoutes)) {
    const decorated = (Reflect.getMetadata(MetaKey.Route, prototype, methodName) as RouteOptions | undefined) ?? {};
    if (typeof (prototype as Record<string, unknown>)[methodName] !== 'function') {
      throw new BootstrapError('INVALID_ROUTE', `${cls.name} has no method "${methodName}", a route of its contract "${serviceOptions.contract!.name}"`);
    }
    checkRouteMethod(cls, methodName);
    const contract = contractRoutes[methodName]!;
    out.set(methodName, {
      methodName,
      fromContract: true,
      routeOptions: { ...decorated, request: contract.request, response: contract.response, notify: contract.notify ?? decorated.notify, description: contract.description ?? decorated.description },
    });
  }
  for (let proto: object | null = prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const methodName of Object.getOwnPropertyNames(proto)) {
      if (out.has(methodName) || methodName === 'constructor') continue;
      const routeOptions = Reflect.getMetadata(MetaKey.Route, prototype, methodName) as RouteOptions | undefined;
      if (!routeOptions || routeOptions.ignore) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, methodName);
      if (!descriptor || typeof descriptor.value !== 'function') continue;
      checkRouteMethod(cls, methodName);
      out.set(methodName, { methodName, routeOptions, fromContract: false });
    }
  }
  return [...out.values()];
}

function checkRouteMethod(cls: Type, methodName: string): void {
  if (LIFECYCLE_METHODS.has(methodName) || methodName.startsWith('_')) {
    throw new BootstrapError('INVALID_ROUTE', `${cls.name}.${methodName} cannot be a route: lifecycle hooks and _-prefixed methods are never exposed`);
  }
}

function declaredPushes(cls: Type, serviceOptions: ServiceOptions, owners: Map<string, string>): PushEntry[] {
  const all = { ...serviceOptions.contract?.pushes, ...serviceOptions.pushes };
  const out: PushEntry[] = [];
  for (const [route, schema] of Object.entries(all)) {
    if (!isStandardSchema(schema)) {
      throw new BootstrapError('INVALID_SCHEMA', `${cls.name}: the schema of push "${route}" does not implement Standard Schema v1 (~standard.validate)`);
    }
    const previous = owners.get(route);
    // Two services may document the same push (a broadcast both send) only once.
    if (previous) continue;
    owners.set(route, cls.name);
    out.push({ route, schema, owner: cls.name });
  }
  return out;
}

function bodyModeWithSchema(route: RouteOptions, mode: BodyMode, owner: string): BodyMode {
  for (const [what, schema] of [['request', route.request], ['response', route.response]] as const) {
    if (schema !== undefined && !isStandardSchema(schema)) {
      throw new BootstrapError('INVALID_SCHEMA', `${owner}: the ${what} schema does not implement Standard Schema v1 (~standard.validate)`);
    }
  }
  if (route.request === undefined) return mode;
  if (mode === 'raw') throw new BootstrapError('INVALID_SCHEMA', `${owner} takes the raw body and declares a request schema: a schema needs a decoded body`);
  // A declared body is validated even when the method does not read it.
  return 'decoded';
}
