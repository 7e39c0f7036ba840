import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { ErrorCode, PitayaError } from '@pitaya-ts/core';
import { toErrorPayload } from '@pitaya-ts/core/internal';
import type { ProtoError, ProtoInit } from '../protos/proto-types';

/**
 * Thrown by an RPC transport when the chosen server's channel fails (gRPC `UNAVAILABLE`: connection
 * refused or dropped; no responders on a bus). Callers answer it like any `PIT-500`; the router's
 * `ServerHealth` uses it to route around the server until it answers again.
 */
export class ServerUnreachableError extends PitayaError {
  constructor(readonly serverId: string, message: string, metadata: Readonly<Record<string, string>> = {}, options?: ErrorOptions) {
    super(ErrorCode.Internal, message, metadata, options);
  }
}

/** A `protos.Error` for any thrown value: the code of a `PitayaError`, else PIT-000. */
export function toProtoError(error: unknown): ProtoInit<ProtoError> {
  const payload = toErrorPayload(error);
  return { code: payload.code, msg: payload.msg ?? '', metadata: payload.metadata ?? {} };
}

/** The `PitayaError` carried by a `protos.Response` (Go leaves the code empty for plain errors: PIT-000). */
export function fromProtoError(error: ProtoError): PitayaError {
  return new PitayaError(error.code || ErrorCode.Unknown, error.msg, { ...error.metadata });
}

/**
 * A transport failure as the client of the RPC sees it: a deadline becomes PIT-408 like Pitaya's
 * request timeouts (with the timeout, route and server in the metadata); an unreachable server
 * PIT-500 naming it.
 */
export function fromGrpcError(error: ServiceError, server: { id: string; type: string }, route: string, timeoutMs: number): PitayaError {
  if (error.code === GrpcStatus.DEADLINE_EXCEEDED) {
    return new PitayaError(ErrorCode.RequestTimeout, 'rpc client: request timeout', {
      timeout: `${timeoutMs}ms`, route, server: server.id,
    });
  }
  // The server id stays in the metadata for RPC callers; clients never get it (core strips it).
  if (error.code === GrpcStatus.UNAVAILABLE) {
    return new ServerUnreachableError(server.id, `rpc client: server of type ${server.type} is unavailable`, { route, server: server.id }, { cause: error });
  }
  if (error.code === GrpcStatus.CANCELLED) {
    return new PitayaError(ErrorCode.Internal, `rpc client: server of type ${server.type} is unavailable`, { route, server: server.id });
  }
  return new PitayaError(ErrorCode.Unknown, `rpc client: call failed (gRPC status ${error.code})`, { route, server: server.id });
}
