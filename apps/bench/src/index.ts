/**
 * `@pitaya-ts/bench`: the load generator (usable in-process, as the tests do), the bare reference
 * server and the report types. The command line is `dist/cli.js` (`npm run bench`).
 */
export { BenchConnection, type ConnectionListener } from './wire/bench-connection';
export { PUSH_ROUTE, type BenchRoutes, type Endpoint, type Transport, type WsClientKind } from './wire/endpoint';
export { echoPayload, readTimestamp, broadcastPayload } from './wire/payloads';
export { RequestTemplate, WireRequest, FIRST_REQUEST_ID, nextRequestId } from './wire/request-template';
export { ServerFrameReader, encodeClientFrame, type FrameHandler } from './wire/ws-frames';
export { LatencyRecorder, type LatencySummary } from './generator/latency-recorder';
export type * from './generator/jobs';
export { NO_HOOKS } from './generator/jobs';
export { runJob } from './generator/run-job';
export { runEchoClosed } from './generator/echo-closed';
export { runEchoOpen } from './generator/echo-open';
export { runBroadcast } from './generator/broadcast';
export { runIdleRamp } from './generator/idle-ramp';
export { BareServer, type BareServerOptions, type BareServerStats } from './servers/bare-server';
export { PITAYA_ROUTES, PINUS_ROUTES, FORWARDED_ROUTES } from './servers/bench-routes';
export { readServerEnv, writeReady, type ServerEnv, type ReadyInfo } from './servers/server-env';
export { BenchHandler, BenchModule } from './servers/bench-module';
export { summarizeProfile, type CpuProfile } from './profile/cpu-profile';
export type { BenchReport, RunRecord, GoalResult } from './report/report-types';
