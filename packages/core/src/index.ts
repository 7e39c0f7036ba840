import 'reflect-metadata';

export * from './acceptors/acceptor';
export * from './acceptors/acceptor-wrapper';
export * from './acceptors/partial-packet-budget';
export * from './acceptors/rate-limiting-wrapper';
export * from './acceptors/tcp-acceptor';
export * from './acceptors/tls-options';
export * from './acceptors/ws-acceptor';
export * from './agent/agent';
export * from './agent/agent-factory';
export * from './agent/connection-guard';
export * from './agent/heartbeat-scheduler';
export * from './agent/message-encoder';
export * from './bootstrap/application';
export * from './bootstrap/options';
export * from './bootstrap/pitaya-factory';
export * from './config/config-resolver';
export * from './config/config-service';
export * from './config/config-source';
export * from './config/duration';
export * from './config/pitaya-config';
export * from './container/module-scanner';
export * from './container/tokens';
export * from './container/types';
export * from './context/context';
export * from './decorators/guard.decorators';
export * from './decorators/inject.decorators';
export * from './decorators/metadata-keys';
export * from './decorators/module.decorator';
export * from './decorators/options';
export * from './decorators/pipeline.decorator';
export * from './decorators/route.decorators';
export * from './decorators/service.decorators';
export * from './dispatch/dispatcher';
export * from './dispatch/enhancers';
export * from './docs/asyncapi';
export * from './docs/docs-module';
export * from './docs/documentation';
export * from './dispatch/forwarder';
export * from './dispatch/route';
export * from './dispatch/route-invoker';
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
export * from './rpc/rpc-client';
export * from './serialize/json-serializer';
export * from './serialize/protobuf-serializer';
export * from './serialize/safe-json';
export * from './serialize/serializer';
export * from './schema/body-validator';
export * from './schema/handler-types';
export * from './server-identity';
export * from './session/frontend-session';
export * from './session/local-user-messenger';
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
