/**
 * TypeScript shapes of Pitaya's protobuf messages (package `protos`, see `proto/*.proto`).
 *
 * Decoded messages always carry every scalar field (proto3 defaults filled in: `0`, `''`, `false`, an
 * empty Buffer) and leave absent sub-messages `undefined`, so handlers never see `null`. Values given to
 * an encoder are {@link ProtoInit}: every field optional, bytes as any `Uint8Array`.
 */

/** `protos.RPCType`: `Sys` forwards a client message to a backend handler, `User` calls a remote. */
export const RPCType = { Sys: 0, User: 1 } as const;
/** Numeric value of {@link RPCType}. */
export type RPCType = (typeof RPCType)[keyof typeof RPCType];

/** `protos.MsgType`: the kind of the forwarded client message. */
export const MsgType = { MsgRequest: 0, MsgNotify: 1, MsgResponse: 2, MsgPush: 3 } as const;
/** Numeric value of {@link MsgType}. */
export type MsgType = (typeof MsgType)[keyof typeof MsgType];

/** `protos.Session`: the frontend session carried by a Sys RPC; `data` is the session data as JSON. */
export interface ProtoSession {
  /** int64 on the wire; session ids are small counters, well inside the safe integer range. */
  id: number;
  uid: string;
  data: Buffer;
}

/** `protos.Msg`: a client message forwarded between servers. */
export interface ProtoMsg {
  /** uint64 on the wire: the client's message id (0 for notifies and User RPCs). */
  id: number;
  /** Full route (`server.service.method`). */
  route: string;
  data: Buffer;
  /** NATS reply subject; unused over gRPC. */
  reply: string;
  type: MsgType;
}

/** `protos.Request`: the argument of `Pitaya.Call`. */
export interface PitayaRequest {
  type: RPCType;
  /** Present on Sys RPCs only. */
  session?: ProtoSession;
  msg?: ProtoMsg;
  /** The sender's id when the sender is a frontend, else `''`. */
  frontendID: string;
  /** JSON of the propagated context; Go servers reject an empty one ("no context found"). */
  metadata: Buffer;
}

/** `protos.Error`: an application error carried inside a {@link PitayaResponse}. */
export interface ProtoError {
  /** Pitaya error code such as `PIT-404`; `''` means `PIT-000` to Go clients. */
  code: string;
  msg: string;
  metadata: Record<string, string>;
}

/** `protos.Response`: the answer to `Call`, `PushToUser` and `SessionBindRemote`. */
export interface PitayaResponse {
  data: Buffer;
  error?: ProtoError;
}

/** `protos.Push`: a push to user `uid`, sent to the frontend the user is connected to. */
export interface ProtoPush {
  route: string;
  uid: string;
  data: Buffer;
}

/** `protos.BindMsg`: user `uid` bound a session on frontend `fid` (unique-session notice). */
export interface BindMsg {
  uid: string;
  fid: string;
}

/** `protos.KickMsg`: kick user `userId` from the receiving frontend. */
export interface KickMsg {
  userId: string;
}

/** `protos.KickAnswer`: whether the user was found and kicked. */
export interface KickAnswer {
  kicked: boolean;
}

/** `protos.Doc`: handler/remote documentation as JSON text. */
export interface ProtoDoc {
  doc: string;
}

/** `protos.DocMsg`: the argument of the `sys.docs` remote. */
export interface ProtoDocMsg {
  getProtos: boolean;
}

/** `protos.ProtoDescriptor`: one gzipped protobuf file descriptor. */
export interface ProtoDescriptor {
  desc: Buffer;
}

/** `protos.ProtoName`: a fully qualified protobuf message name. */
export interface ProtoName {
  name: string;
}

/** `protos.ProtoDescriptors`: several gzipped file descriptors. */
export interface ProtoDescriptors {
  desc: Buffer[];
}

/** `protos.ProtoNames`: several message names. */
export interface ProtoNames {
  name: string[];
}

/** An encoder's view of a field value: bytes as any Uint8Array, nested messages as {@link ProtoInit}. */
export type ProtoInitValue<V> = V extends Uint8Array
  ? Uint8Array
  : V extends readonly (infer E)[]
    ? readonly ProtoInitValue<E>[]
    : V extends Record<string, string>
      ? Readonly<Record<string, string>>
      : V extends object
        ? ProtoInit<V>
        : V;

/** Encoder input for message `T`: every field optional; absent and default values are not written. */
export type ProtoInit<T> = { readonly [K in keyof T]?: ProtoInitValue<NonNullable<T[K]>> };
