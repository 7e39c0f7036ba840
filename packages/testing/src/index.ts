/**
 * `@pitaya-ts/testing`: helpers for tests that need real infrastructure (a throw-away etcd) and for polling
 * instead of sleeping.
 */
export { startEtcd, type EtcdHandle, type EtcdRestartOptions, type StartEtcdOptions } from './etcd';
export { freePort } from './free-port';
export { waitFor, type WaitForOptions } from './wait-for';
export { ServerProcess, type StartedLine } from './server-process';
export { selfSignedCertificate } from './self-signed';
