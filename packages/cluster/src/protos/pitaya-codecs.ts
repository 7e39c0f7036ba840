import { createProtoCodec, type ProtoCodec } from './proto-codec';
import { createStaticCodecs } from './static-codecs';
import type {
  BindMsg,
  KickAnswer,
  KickMsg,
  PitayaRequest,
  PitayaResponse,
  ProtoDescriptor,
  ProtoDescriptors,
  ProtoDoc,
  ProtoDocMsg,
  ProtoError,
  ProtoInit,
  ProtoMsg,
  ProtoName,
  ProtoNames,
  ProtoPush,
  ProtoSession,
} from './proto-types';

const forwarded = createStaticCodecs();

/**
 * One codec per Pitaya message. The messages of every forwarded request (`Request`, `Response`, and their
 * `Session`, `Msg`, `Error`) use the static codecs (same bytes, no reflection, see `static-codecs.ts`); the
 * others the reflection codec over the `.proto` files found by default (see `resolveProtoDir`).
 */
export const pitayaCodecs = {
  Request: forwarded.Request satisfies ProtoCodec<PitayaRequest>,
  Response: forwarded.Response satisfies ProtoCodec<PitayaResponse>,
  Error: forwarded.Error satisfies ProtoCodec<ProtoError>,
  Session: forwarded.Session satisfies ProtoCodec<ProtoSession>,
  Msg: forwarded.Msg satisfies ProtoCodec<ProtoMsg>,
  Push: createProtoCodec<ProtoPush>('protos.Push'),
  BindMsg: createProtoCodec<BindMsg>('protos.BindMsg'),
  KickMsg: createProtoCodec<KickMsg>('protos.KickMsg'),
  KickAnswer: createProtoCodec<KickAnswer>('protos.KickAnswer'),
  Doc: createProtoCodec<ProtoDoc>('protos.Doc'),
  DocMsg: createProtoCodec<ProtoDocMsg>('protos.DocMsg'),
  ProtoDescriptor: createProtoCodec<ProtoDescriptor>('protos.ProtoDescriptor'),
  ProtoName: createProtoCodec<ProtoName>('protos.ProtoName'),
  ProtoDescriptors: createProtoCodec<ProtoDescriptors>('protos.ProtoDescriptors'),
  ProtoNames: createProtoCodec<ProtoNames>('protos.ProtoNames'),
} satisfies Record<string, ProtoCodec<object>>;

/** Encodes a `protos.Request` byte-identically to Go. */
export const encodeRequest = (v: ProtoInit<PitayaRequest>): Buffer => pitayaCodecs.Request.encode(v);
/** Decodes a `protos.Request`. */
export const decodeRequest = (b: Uint8Array): PitayaRequest => pitayaCodecs.Request.decode(b);
/** Encodes a `protos.Response` byte-identically to Go. */
export const encodeResponse = (v: ProtoInit<PitayaResponse>): Buffer => pitayaCodecs.Response.encode(v);
/** Decodes a `protos.Response`. */
export const decodeResponse = (b: Uint8Array): PitayaResponse => pitayaCodecs.Response.decode(b);
/** Encodes a `protos.Error`. */
export const encodeProtoError = (v: ProtoInit<ProtoError>): Buffer => pitayaCodecs.Error.encode(v);
/** Decodes a `protos.Error`. */
export const decodeProtoError = (b: Uint8Array): ProtoError => pitayaCodecs.Error.decode(b);
/** Encodes a `protos.Session`. */
export const encodeSession = (v: ProtoInit<ProtoSession>): Buffer => pitayaCodecs.Session.encode(v);
/** Decodes a `protos.Session`. */
export const decodeSession = (b: Uint8Array): ProtoSession => pitayaCodecs.Session.decode(b);
/** Encodes a `protos.Msg`. */
export const encodeMsg = (v: ProtoInit<ProtoMsg>): Buffer => pitayaCodecs.Msg.encode(v);
/** Decodes a `protos.Msg`. */
export const decodeMsg = (b: Uint8Array): ProtoMsg => pitayaCodecs.Msg.decode(b);
/** Encodes a `protos.Push`. */
export const encodePush = (v: ProtoInit<ProtoPush>): Buffer => pitayaCodecs.Push.encode(v);
/** Decodes a `protos.Push`. */
export const decodePush = (b: Uint8Array): ProtoPush => pitayaCodecs.Push.decode(b);
/** Encodes a `protos.BindMsg`. */
export const encodeBindMsg = (v: ProtoInit<BindMsg>): Buffer => pitayaCodecs.BindMsg.encode(v);
/** Decodes a `protos.BindMsg`. */
export const decodeBindMsg = (b: Uint8Array): BindMsg => pitayaCodecs.BindMsg.decode(b);
/** Encodes a `protos.KickMsg`. */
export const encodeKickMsg = (v: ProtoInit<KickMsg>): Buffer => pitayaCodecs.KickMsg.encode(v);
/** Decodes a `protos.KickMsg`. */
export const decodeKickMsg = (b: Uint8Array): KickMsg => pitayaCodecs.KickMsg.decode(b);
/** Encodes a `protos.KickAnswer`. */
export const encodeKickAnswer = (v: ProtoInit<KickAnswer>): Buffer => pitayaCodecs.KickAnswer.encode(v);
/** Decodes a `protos.KickAnswer`. */
export const decodeKickAnswer = (b: Uint8Array): KickAnswer => pitayaCodecs.KickAnswer.decode(b);
