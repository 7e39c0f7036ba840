import { join } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import { resolveProtoDir, type ProtoLocationOptions } from './proto-files';
import { createProtoCodec, type ProtoCodec } from './proto-codec';
import { createStaticCodecs } from './static-codecs';
import type { BindMsg, KickAnswer, KickMsg, PitayaRequest, PitayaResponse, ProtoInit, ProtoPush } from './proto-types';

/** Fully qualified name of Pitaya's gRPC service (paths `/protos.Pitaya/<Method>`). */
export const PITAYA_SERVICE_NAME = 'protos.Pitaya';

/** The options given to `@grpc/proto-loader` (its serializers are then replaced, see below). */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: Number,
  bytes: Buffer,
  defaults: false,
  oneofs: true,
};

/**
 * A method of {@link PitayaServiceDefinition} (a grpc-js `MethodDefinition`): serializers take encoder
 * input, deserializers give full messages.
 */
export interface PitayaMethodDefinition<Req, Res> {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly originalName?: string;
  readonly requestSerialize: (value: ProtoInit<Req>) => Buffer;
  readonly requestDeserialize: (bytes: Buffer) => Req;
  readonly responseSerialize: (value: ProtoInit<Res>) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => Res;
}

/**
 * The `protos.Pitaya` service, assignable to grpc-js's `ServiceDefinition` (`server.addService`,
 * `makeGenericClientConstructor(def, 'protos.Pitaya')`). A type alias, not an interface, so that it
 * fits grpc-js's index signature.
 */
export type PitayaServiceDefinition = {
  readonly Call: PitayaMethodDefinition<PitayaRequest, PitayaResponse>;
  readonly PushToUser: PitayaMethodDefinition<ProtoPush, PitayaResponse>;
  readonly SessionBindRemote: PitayaMethodDefinition<BindMsg, PitayaResponse>;
  readonly KickUser: PitayaMethodDefinition<KickMsg, KickAnswer>;
};

type AnyMethod = protoLoader.MethodDefinition<object, object>;

function withCodecs<Req extends object, Res extends object>(
  method: AnyMethod | undefined,
  name: string,
  request: ProtoCodec<Req>,
  response: ProtoCodec<Res>,
): PitayaMethodDefinition<Req, Res> {
  if (method === undefined) throw new Error(`pitaya.proto does not declare ${PITAYA_SERVICE_NAME}.${name}`);
  return {
    path: method.path,
    requestStream: method.requestStream,
    responseStream: method.responseStream,
    originalName: method.originalName,
    requestSerialize: (v) => request.encode(v),
    requestDeserialize: (b) => request.decode(b),
    responseSerialize: (v) => response.encode(v),
    responseDeserialize: (b) => response.decode(b),
  };
}

/**
 * Loads `pitaya.proto` with `@grpc/proto-loader` (the `.proto` stays the source of method paths and
 * streaming flags) and swaps each method's (de)serializers for our codecs. Why: proto-loader re-encodes
 * set default values (Go never writes them) and, with `defaults: false`, hands handlers objects whose
 * fields may be missing; our codecs are byte-identical to Go and give the same typed shapes as
 * `decodeRequest` & co. Synchronous: call it once at start-up.
 */
export function loadPitayaServiceDefinition(location: ProtoLocationOptions = {}): PitayaServiceDefinition {
  const protoDir = resolveProtoDir(location);
  const pkg = protoLoader.loadSync(join(protoDir, 'pitaya.proto'), { ...PROTO_LOADER_OPTIONS, includeDirs: [protoDir] });
  const service = pkg[PITAYA_SERVICE_NAME] as Record<string, AnyMethod> | undefined;
  if (service === undefined) throw new Error(`pitaya.proto does not declare ${PITAYA_SERVICE_NAME}`);
  const codec = <T>(type: string): ProtoCodec<T> => createProtoCodec<T>(type, { protoDir });
  // Call, PushToUser and SessionBindRemote carry every forwarded request and its answer: static codecs.
  const forwarded = createStaticCodecs({ protoDir });
  const response = forwarded.Response;
  return {
    Call: withCodecs(service.Call, 'Call', forwarded.Request, response),
    PushToUser: withCodecs(service.PushToUser, 'PushToUser', codec<ProtoPush>('protos.Push'), response),
    SessionBindRemote: withCodecs(service.SessionBindRemote, 'SessionBindRemote', codec<BindMsg>('protos.BindMsg'), response),
    KickUser: withCodecs(service.KickUser, 'KickUser', codec<KickMsg>('protos.KickMsg'), codec<KickAnswer>('protos.KickAnswer')),
  };
}
