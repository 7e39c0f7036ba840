import { join } from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import {
  decodeBindMsg,
  decodeKickAnswer,
  decodeKickMsg,
  decodeMsg,
  decodePush,
  decodeRequest,
  decodeResponse,
  encodeBindMsg,
  encodeKickAnswer,
  encodeKickMsg,
  encodeMsg,
  encodePush,
  encodeRequest,
  encodeResponse,
  findProtoDir,
  loadPitayaServiceDefinition,
  MsgType,
  pitayaCodecs,
  resolveProtoDir,
  RPCType,
  type ProtoCodec,
  type ProtoInit,
} from '@pitaya-ts/cluster';

const b = (s: string): Buffer => Buffer.from(s);
const hex = (buf: Uint8Array): string => Buffer.from(buf).toString('hex');

// pitaya-spec §5.3: every vector must match Go's bytes both ways.
interface Vector<T> {
  readonly name: string;
  readonly codec: { encode(v: ProtoInit<T>): Buffer; decode(b: Uint8Array): T };
  readonly value: T;
  readonly hex: string;
}

const vector = <T>(name: string, codec: ProtoCodec<T>, value: T, hexBytes: string): Vector<unknown> =>
  ({ name, codec, value, hex: hexBytes }) as Vector<unknown>;

const vectors: Vector<unknown>[] = [
  vector(
    'Sys Request',
    pitayaCodecs.Request,
    {
      type: RPCType.Sys,
      session: { id: 7, uid: 'user-1', data: b('{"ipversion":"ipv4"}') },
      msg: { id: 3, route: 'game.room.join', data: b('{"a":1}'), reply: '', type: MsgType.MsgRequest },
      frontendID: 'fe-1',
      metadata: b('{"peer.id":"fe-1","peer.service":"connector"}'),
    },
    '122008071206757365722d311a147b22697076657273696f6e223a2269707634227d1a1b0803120e67616d652e726f6f6d2e6a6f696e1a077b2261223a317d220466652d312a2d7b22706565722e6964223a2266652d31222c22706565722e73657276696365223a22636f6e6e6563746f72227d',
  ),
  vector(
    'User Request',
    pitayaCodecs.Request,
    {
      type: RPCType.User,
      msg: { id: 0, route: 'room.room.remotefunc', data: Buffer.from([0x0a, 0x02, 0x68, 0x69]), reply: '', type: MsgType.MsgRequest },
      frontendID: '',
      metadata: b('{"peer.id":"x"}'),
    },
    '08011a1c1214726f6f6d2e726f6f6d2e72656d6f746566756e631a040a0268692a0f7b22706565722e6964223a2278227d',
  ),
  vector(
    'Msg notify',
    pitayaCodecs.Msg,
    { id: 0, route: 'game.room.chat', data: b('{}'), reply: '', type: MsgType.MsgNotify },
    '120e67616d652e726f6f6d2e636861741a027b7d2801',
  ),
  vector('Response with JSON data', pitayaCodecs.Response, { data: b('{"code":200}') }, '0a0c7b22636f6465223a3230307d'),
  vector('Response ack', pitayaCodecs.Response, { data: b('ack') }, '0a0361636b'),
  vector(
    'Response with error',
    pitayaCodecs.Response,
    { data: Buffer.alloc(0), error: { code: 'PIT-404', msg: 'route not found', metadata: { route: 'room.join' } } },
    '122e0a075049542d343034120f726f757465206e6f7420666f756e641a120a05726f7574651209726f6f6d2e6a6f696e',
  ),
  vector('Push', pitayaCodecs.Push, { route: 'onMessage', uid: 'user-1', data: b('{"x":1}') }, '0a096f6e4d6573736167651206757365722d311a077b2278223a317d'),
  vector('BindMsg', pitayaCodecs.BindMsg, { uid: 'user-1', fid: 'fe-1' }, '0a06757365722d31120466652d31'),
  vector('KickMsg', pitayaCodecs.KickMsg, { userId: 'user-1' }, '0a06757365722d31'),
  vector('KickAnswer', pitayaCodecs.KickAnswer, { kicked: true }, '0801'),
];

describe('Pitaya protobuf vectors (pitaya-spec §5.3)', () => {
  it.each(vectors)('$name encodes to Go bytes', ({ codec, value, hex: expected }) => {
    expect(hex(codec.encode(value as ProtoInit<unknown>))).toBe(expected);
  });

  it.each(vectors)('$name decodes from Go bytes', ({ codec, value, hex: bytes }) => {
    expect(codec.decode(Buffer.from(bytes, 'hex'))).toEqual(value);
  });
});

describe('named codecs', () => {
  it('round-trip through encodeX/decodeX', () => {
    const push = { route: 'r', uid: 'u', data: b('{}') };
    expect(decodePush(encodePush(push))).toEqual(push);
    expect(decodeBindMsg(encodeBindMsg({ uid: 'u', fid: 'f' }))).toEqual({ uid: 'u', fid: 'f' });
    expect(decodeKickMsg(encodeKickMsg({ userId: 'u' }))).toEqual({ userId: 'u' });
    expect(decodeKickAnswer(encodeKickAnswer({ kicked: false }))).toEqual({ kicked: false });
    expect(decodeMsg(encodeMsg({ route: 'a.b.c' })).route).toBe('a.b.c');
    expect(decodeResponse(encodeResponse({ data: b('ack') })).data.toString()).toBe('ack');
  });

  it('omit proto3 defaults like Go and fill them in on decode', () => {
    expect(encodeRequest({ type: RPCType.Sys, frontendID: '', metadata: new Uint8Array(0) })).toHaveLength(0);
    // A present sub-message is written even when empty (a non-nil pointer in Go).
    expect(hex(encodeRequest({ msg: {} }))).toBe('1a00');
    expect(decodeRequest(Buffer.alloc(0))).toEqual({ type: 0, frontendID: '', metadata: Buffer.alloc(0) });
    expect(decodeResponse(Buffer.alloc(0))).toEqual({ data: Buffer.alloc(0) });
  });

  it('accepts any Uint8Array for bytes and decodes bytes as Buffers', () => {
    const decoded = decodePush(encodePush({ data: new Uint8Array([1, 2]) }));
    expect(Buffer.isBuffer(decoded.data)).toBe(true);
    expect([...decoded.data]).toEqual([1, 2]);
  });

  it('rejects wrongly typed fields and malformed bytes', () => {
    expect(() => encodePush({ route: 5 } as unknown as ProtoInit<{ route: string }>)).toThrow(/cannot encode protos.Push/);
    expect(() => decodeRequest(Buffer.from('1aff', 'hex'))).toThrow(/cannot decode protos.Request/);
  });

  it('encode the descriptor and doc messages', () => {
    expect(hex(pitayaCodecs.ProtoNames.encode({ name: ['a', 'b'] }))).toBe('0a01610a0162');
    expect(pitayaCodecs.ProtoDescriptors.decode(pitayaCodecs.ProtoDescriptors.encode({ desc: [b('x')] })).desc).toEqual([b('x')]);
    expect(pitayaCodecs.Doc.decode(pitayaCodecs.Doc.encode({ doc: '{}' }))).toEqual({ doc: '{}' });
    expect(hex(pitayaCodecs.DocMsg.encode({ getProtos: true }))).toBe('0801');
  });
});

describe('proto files and the gRPC service', () => {
  it('finds proto/ by walking up from the sources', () => {
    expect(findProtoDir(__dirname)).toBe(join(__dirname, '..', '..', '..', '..', 'proto'));
    expect(() => findProtoDir('/')).toThrow(/cannot find proto\/pitaya.proto/);
    expect(() => resolveProtoDir({ protoDir: __dirname })).toThrow(/does not contain pitaya.proto/);
  });

  it('defines protos.Pitaya with Go-exact serializers', () => {
    const def = loadPitayaServiceDefinition();
    const asGrpc: ServiceDefinition = def;
    expect(Object.keys(asGrpc).sort()).toEqual(['Call', 'KickUser', 'PushToUser', 'SessionBindRemote']);
    expect(def.Call.path).toBe('/protos.Pitaya/Call');
    expect(def.PushToUser.path).toBe('/protos.Pitaya/PushToUser');
    expect(def.SessionBindRemote.path).toBe('/protos.Pitaya/SessionBindRemote');
    expect(def.KickUser.path).toBe('/protos.Pitaya/KickUser');
    expect(def.Call.requestStream || def.Call.responseStream).toBe(false);
    expect(hex(def.KickUser.responseSerialize({ kicked: true }))).toBe('0801');
    expect(hex(def.Call.requestSerialize({ type: RPCType.Sys, frontendID: '' }))).toBe('');
    expect(def.Call.requestDeserialize(Buffer.from('0801', 'hex')).type).toBe(RPCType.User);
    expect(def.SessionBindRemote.requestDeserialize(encodeBindMsg({ uid: 'u', fid: 'f' }))).toEqual({ uid: 'u', fid: 'f' });
  });
});
