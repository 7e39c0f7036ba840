import type { ServerIdentity, Tracer, TraceSpan } from '@pitaya-ts/core';
import { OTEL_SPAN_KEY } from './rpc-metadata';
import type { RpcTransportKind } from './rpc-transport';

/** Go Pitaya's RPC client span (`GRPC RPC Call` / `NATS RPC Call`, `span.kind=client`, `local.id`, `peer.serverType`, `peer.id`). */
export function startRpcClientSpan(
  tracer: Tracer, self: Pick<ServerIdentity, 'id'>, peer: { readonly id: string; readonly type: string }, transport: RpcTransportKind = 'grpc',
): TraceSpan {
  return tracer.startSpan(transport === 'nats' ? 'NATS RPC Call' : 'GRPC RPC Call', 'client', {
    'span.kind': 'client',
    'local.id': self.id,
    'peer.serverType': peer.type,
    'peer.id': peer.id,
  });
}

/** `propagated` plus the span's carrier under `otel-span`, as the metadata of the request it travels with. */
export function withSpanCarrier(span: TraceSpan, propagated?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...propagated, [OTEL_SPAN_KEY]: span.carrier() };
}
