/**
 * `@pitaya-ts/core/internal`: the public API plus the framework parts other pitaya-ts packages
 * build on (agents, dispatcher, route invoker, forwarder, config resolver, metadata keys). Not for
 * applications: it may change in any release. Applications import `@pitaya-ts/core`.
 */
export * from './index';
export * from './acceptors/partial-packet-budget';
export { loadTls } from './acceptors/tls-options';
export * from './agent/agent';
export * from './agent/agent-factory';
export * from './agent/connection-guard';
export * from './agent/heartbeat-scheduler';
export * from './agent/message-encoder';
export * from './config/config-resolver';
export { loadConfigSource } from './config/config-source';
export { PITAYA_CONFIG_KEYS } from './config/pitaya-config';
export * from './container/module-scanner';
export * from './decorators/metadata-keys';
export * from './dispatch/dispatcher';
export { type ResolvedGuard, type ResolvedFilter, buildEnhancer, type ParamPlan, paramPlan, bindParams } from './dispatch/enhancers';
export * from './dispatch/forwarder';
export * from './dispatch/route';
export * from './dispatch/route-invoker';
export { StandaloneRpcClient } from './rpc/rpc-client';
export { measuresMessages } from './metrics/measures-messages';
export { contextWithLazyPropagated } from './context/lazy-context';
export * from './serialize/safe-json';
export * from './session/local-user-messenger';
export * from './dispatch/session-inbox';
