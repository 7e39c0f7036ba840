import { status, type ServiceError, Metadata } from '@grpc/grpc-js';
import { createLogger, ErrorCode, PitayaError } from '@pitaya-ts/core';
import { StaticServiceDiscovery } from '@pitaya-ts/cluster';
import { fromGrpcError, ServerHealth, ServerUnreachableError } from '@pitaya-ts/cluster/internal';
import { waitFor } from '@pitaya-ts/testing';
import { serverInfo } from '../helpers';


const grpcError = (code: status, details: string): ServiceError =>
  Object.assign(new Error(details), { code, details, metadata: new Metadata() });

describe('ServerHealth: routing around servers whose channel fails', () => {
  const a = serverInfo('room');
  const b = serverInfo('room');
  let discovery: StaticServiceDiscovery;
  let health: ServerHealth;

  beforeEach(() => {
    discovery = new StaticServiceDiscovery([a, b]);
    health = new ServerHealth(discovery, createLogger({ level: 'silent' }));
  });
  afterEach(() => jest.useRealTimers());

  it('answers the same array while nothing is suspect', () => {
    const servers = discovery.getServersByType('room');
    expect(health.available(servers)).toBe(servers);
  });

  it('an UNAVAILABLE channel makes the server suspect: only healthy servers of the type are offered', () => {
    const error = fromGrpcError(grpcError(status.UNAVAILABLE, 'connect ECONNREFUSED'), a, 'room.room.join', 1000);
    expect(error).toBeInstanceOf(ServerUnreachableError);
    expect(error.code).toBe(ErrorCode.Internal);
    health.failed(a, error);
    expect(health.isSuspect(a.id)).toBe(true);
    expect(health.available(discovery.getServersByType('room')).map((s) => s.id)).toEqual([b.id]);
  });

  it('when every server of the type is suspect, all are offered (fail fast rather than refuse)', () => {
    health.markSuspect(a);
    health.markSuspect(b);
    expect(health.available(discovery.getServersByType('room'))).toHaveLength(2);
  });

  it('after the probe delay the server is offered again; a failed probe doubles the delay; a success clears it', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    health.markSuspect(a);
    jest.setSystemTime(1_000_000 + 499);
    expect(health.isSuspect(a.id)).toBe(true);
    jest.setSystemTime(1_000_000 + 501);
    expect(health.isSuspect(a.id)).toBe(false);
    health.markSuspect(a);
    jest.setSystemTime(1_000_501 + 999);
    expect(health.isSuspect(a.id)).toBe(true);
    jest.setSystemTime(1_000_501 + 1001);
    expect(health.isSuspect(a.id)).toBe(false);
    health.succeeded(a.id);
    health.markSuspect(a);
    jest.setSystemTime(1_000_501 + 1001 + 501);
    expect(health.isSuspect(a.id)).toBe(false);
  });

  it('with a transport probe, a suspect gets no traffic until the probe reaches it (tried again while it fails)', async () => {
    const probed: number[] = [];
    let reachable = false;
    health.setProbe(async (id) => {
      expect(id).toBe(a.id);
      probed.push(Date.now());
      return reachable;
    });
    const markedAt = Date.now();
    health.markSuspect(a);
    await waitFor(() => probed.length === 2, { timeoutMs: 5000 });
    // Not offered between probes, however long the delay: client traffic never pays for a probe.
    expect(health.isSuspect(a.id)).toBe(true);
    expect(probed[0]! - markedAt).toBeGreaterThanOrEqual(450);
    expect(probed[1]! - probed[0]!).toBeGreaterThanOrEqual(950);
    reachable = true;
    await waitFor(() => !health.isSuspect(a.id), { timeoutMs: 5000 });
    expect(health.available(discovery.getServersByType('room'))).toHaveLength(2);
    health.clear();
  });

  it('application errors and timeouts do not make a server suspect (a slow server is not a dead channel)', () => {
    health.failed(a, new PitayaError('RH-000', 'no such room'));
    health.failed(a, fromGrpcError(grpcError(status.DEADLINE_EXCEEDED, 'deadline'), a, 'room.room.join', 1000));
    expect(health.isSuspect(a.id)).toBe(false);
  });

  it('forgets a server that leaves discovery, and never tracks one it does not know', () => {
    health.markSuspect(a);
    discovery.removeServer(a.id);
    discovery.addServer(a);
    expect(health.isSuspect(a.id)).toBe(false);
    health.markSuspect(serverInfo('room'));
    expect(health.available(discovery.getServersByType('room'))).toEqual(discovery.getServersByType('room'));
  });
});
