/**
 * `@pitaya-ts/testing`: testing modules (an application built from a module with overridden
 * providers, started in memory or on free ports, with connected clients), helpers for tests that
 * need real infrastructure (a throw-away etcd, nats-server or redis-server), and polling instead of sleeping.
 */
export { startEtcd, type EtcdHandle, type EtcdRestartOptions, type StartEtcdOptions } from './etcd';
export { startNats, type NatsHandle, type StartNatsOptions } from './nats';
export { freePort } from './free-port';
export { startRedis, type RedisHandle, type StartRedisOptions } from './redis';
export { waitFor, type WaitForOptions } from './wait-for';
export { ServerProcess, type StartedLine } from './server-process';
export { selfSignedCertificate } from './self-signed';
export { Test, TestingApp, TestingModuleBuilder, type OverrideBy, type TestingOptions, type TestTransport } from './testing-module';
export { connectMemoryClient, memory, MemoryAcceptor, MemoryPitayaClient } from './memory-acceptor';
export { startPrometheus, type PrometheusHandle, type PromSample, type StartPrometheusOptions } from './prometheus';
export { testCertificates, type TestCertificates } from './test-ca';
