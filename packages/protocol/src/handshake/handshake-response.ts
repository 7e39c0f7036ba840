import { inflate, isCompressed } from '../compression/compression';
import { ProtocolError } from '../errors';
import { describe, goJsonObject, goJsonStringify, isJsonObject, parseUntrustedJson } from '../json';
import { utf8Encode } from '../utf8';

/** The server's Handshake packet body. */
export interface HandshakeResponse {
  /** 200 on success, 400 when the handshake was refused. */
  code: number;
  sys: {
    /** Route compression dictionary (route -> code). */
    dict: Record<string, number>;
    /** Heartbeat interval in seconds (Go emits a float: 30, 1.5). */
    heartbeat: number;
    /** "json" or "protobuf". */
    serializer: string;
  };
}

/**
 * Exactly Go's bytes: `{"code":200,"sys":{"dict":{...sorted},"heartbeat":30,"serializer":"json"}}`.
 * Never compressed here: the caller decides (Pitaya sends zlib, without a flag, only when shorter).
 * Throws a RangeError for a non-finite code or heartbeat (Go's encoder refuses them too).
 */
export function encodeHandshakeResponse(res: HandshakeResponse): Uint8Array {
  const { code, sys } = res;
  if (!Number.isFinite(code) || !Number.isFinite(sys.heartbeat)) {
    throw new RangeError('handshake code and heartbeat must be finite numbers');
  }
  const dict = goJsonObject(sys.dict, (c) => String(c));
  const serializer = goJsonStringify(sys.serializer);
  return utf8Encode(`{"code":${code},"sys":{"dict":${dict},"heartbeat":${sys.heartbeat},"serializer":${serializer}}}`);
}

/**
 * Client side: parses the server's Handshake body, inflating it first when {@link isCompressed} says so.
 * Missing `dict` reads as `{}` and missing `serializer` as "json" (libpitaya's defaults). Throws
 * `BAD_HANDSHAKE` (bad JSON or field types), `FORBIDDEN_KEY`, `BAD_COMPRESSED_DATA`.
 */
export function decodeHandshakeResponse(body: Uint8Array): HandshakeResponse {
  const json = isCompressed(body) ? inflate(body) : body;
  const v = parseUntrustedJson(json, 'handshake response', 'BAD_HANDSHAKE');
  if (!isJsonObject(v)) throw bad(`handshake response must be a JSON object, got ${describe(v)}`);
  if (typeof v.code !== 'number') throw bad(`handshake response "code" must be a number, got ${describe(v.code)}`);
  const sys = v.sys ?? {};
  if (!isJsonObject(sys)) throw bad(`handshake response "sys" must be an object, got ${describe(sys)}`);
  const dict = sys.dict ?? {};
  if (!isJsonObject(dict)) throw bad(`handshake response "sys.dict" must be an object, got ${describe(dict)}`);
  for (const route of Object.keys(dict)) {
    if (typeof dict[route] !== 'number') throw bad(`handshake response dictionary code of "${route}" must be a number`);
  }
  const heartbeat = sys.heartbeat ?? 0;
  if (typeof heartbeat !== 'number') {
    throw bad(`handshake response "sys.heartbeat" must be a number, got ${describe(heartbeat)}`);
  }
  const serializer = sys.serializer ?? 'json';
  if (typeof serializer !== 'string') {
    throw bad(`handshake response "sys.serializer" must be a string, got ${describe(serializer)}`);
  }
  return { code: v.code, sys: { dict: dict as Record<string, number>, heartbeat, serializer } };
}

function bad(message: string): ProtocolError {
  return new ProtocolError('BAD_HANDSHAKE', message);
}
