import 'reflect-metadata';

/**
 * `@pitaya-ts/core`: what applications write against — modules and decorators, the bootstrap,
 * context, errors, configuration, acceptors, sessions and groups, and the interfaces and tokens of
 * the replaceable parts. What other pitaya-ts packages need beyond this (agents, the dispatcher, the
 * route invoker, the config resolver, metadata keys…) is in `@pitaya-ts/core/internal`, which may
 * change in any release. `api/core.api.md` lists this entry's API; `npm test` fails when it changes
 * without that file being updated.
 */

export * from './acceptors/acceptor';
export * from './acceptors/acceptor-wrapper';
export * from './acceptors/rate-limiting-wrapper';
export * from './acceptors/tcp-acceptor';
export { type TlsOptions } from './acceptors/tls-options';
export * from './acceptors/ws-acceptor';
export * from './bootstrap/application';
export * from './bootstrap/options';
export * from './bootstrap/pitaya-factory';
export * from './config/config-service';
export { type ConfigFile, ConfigSource, readConfigFile, configFileFromArgs } from './config/config-source';
export * from './config/duration';
export { type PitayaConfig, type PitayaConfigInput } from './config/pitaya-config';
export * from './container/tokens';
export * from './container/types';
export * from './context/context';
export * from './decorators/guard.decorators';
export * from './decorators/inject.decorators';
export * from './decorators/module.decorator';
export * from './decorators/options';
export * from './decorators/pipeline.decorator';
export * from './decorators/route.decorators';
export * from './decorators/service.decorators';
export { type CanActivate, type ExceptionFilter } from './dispatch/enhancers';
export * from './docs/asyncapi';
export * from './docs/docs-module';
export * from './docs/documentation';
export * from './dispatch/route-table';
export * from './errors/bootstrap-error';
export * from './errors/pitaya-error';
export * from './groups/groups';
export * from './groups/memory-groups';
export * from './lifecycle';
export * from './logger';
export * from './metrics/metrics-reporter';
export * from './metrics/tracer';
export * from './modules/binary-module';
export * from './modules/module-registry';
export * from './pipeline/pipeline.interfaces';
export { type RpcCallOptions, type RpcClient } from './rpc/rpc-client';
export * from './serialize/json-serializer';
export * from './serialize/protobuf-serializer';
export * from './serialize/serializer';
export * from './schema/body-validator';
export * from './schema/handler-types';
export * from './server-identity';
export * from './session/frontend-session';
export * from './session/session';
export * from './session/session-pool';
export * from './session/user-messenger';
export * from './timers/timers';
export {
  defineService,
  isStandardSchema,
  type ApiOf,
  type ClientApi,
  type PushContracts,
  type RouteContract,
  type SchemaInput,
  type SchemaOutput,
  type ServiceContract,
  type StandardJSONSchemaV1,
  type StandardSchemaV1,
} from '@pitaya-ts/protocol';
