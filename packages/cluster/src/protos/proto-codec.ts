import * as protobuf from 'protobufjs';
import { loadPitayaRoot, type ProtoLocationOptions } from './proto-files';
import type { ProtoInit } from './proto-types';

/** Encoder/decoder of one Pitaya message type. */
export interface ProtoCodec<T> {
  /** Fully qualified name, e.g. `protos.Request`. */
  readonly typeName: string;
  /**
   * Encodes like Go's `proto.Marshal`: fields in number order, proto3 default values (0, '', false, empty
   * bytes, empty lists and maps) left out. Unknown properties are ignored; a wrongly typed field throws.
   */
  encode(value: ProtoInit<T>): Buffer;
  /** Decodes; scalars get their proto3 defaults, absent sub-messages stay `undefined`. Throws on bad input. */
  decode(bytes: Uint8Array): T;
}

type Plain = Record<string, unknown>;

function isDefaultScalar(v: unknown): boolean {
  return v === 0 || v === '' || v === false || v === 0n || (v instanceof Uint8Array && v.length === 0);
}

// protobufjs writes every field that is set, defaults included ("08 00"), whereas Go never writes a proto3
// default. Copying only the non-default fields makes our bytes identical to Go's.
function stripDefaults(type: protobuf.Type, value: Plain): Plain {
  const out: Plain = {};
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (v === undefined || v === null) continue;
    const sub = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (field.map) {
      if (Object.keys(v as object).length > 0) out[field.name] = v;
    } else if (field.repeated) {
      const list = v as readonly unknown[];
      if (list.length > 0) out[field.name] = sub ? list.map((e) => stripDefaults(sub, e as Plain)) : list;
    } else if (sub) {
      // A present sub-message is written even when empty, as Go does for a non-nil pointer.
      out[field.name] = stripDefaults(sub, v as Plain);
    } else if (!isDefaultScalar(v)) {
      out[field.name] = v;
    }
  }
  return out;
}

// toObject({ defaults: true }) fills absent sub-messages with null; our types say `undefined`.
function dropNullMessages(type: protobuf.Type, value: Plain): Plain {
  for (const field of type.fieldsArray) {
    if (!(field.resolvedType instanceof protobuf.Type) || field.map) continue;
    const v = value[field.name];
    if (v === null || v === undefined) {
      delete value[field.name];
    } else if (field.repeated) {
      for (const e of v as Plain[]) dropNullMessages(field.resolvedType, e);
    } else {
      dropNullMessages(field.resolvedType, v as Plain);
    }
  }
  return value;
}

const TO_OBJECT: protobuf.IConversionOptions = {
  longs: Number,
  enums: Number,
  defaults: true,
  arrays: true,
  objects: true,
};

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Creates a codec for `typeName`. The `.proto` files are loaded on first use (see {@link loadPitayaRoot}),
 * so importing this module costs nothing.
 */
export function createProtoCodec<T>(typeName: string, location: ProtoLocationOptions = {}): ProtoCodec<T> {
  let type: protobuf.Type | undefined;
  const resolveType = (): protobuf.Type => (type ??= loadPitayaRoot(location).lookupType(typeName));
  return {
    typeName,
    encode(value: ProtoInit<T>): Buffer {
      const t = resolveType();
      const plain = stripDefaults(t, value as Plain);
      const problem = t.verify(plain);
      if (problem !== null) throw new TypeError(`cannot encode ${typeName}: ${problem}`);
      return toBuffer(t.encode(t.fromObject(plain)).finish());
    },
    decode(bytes: Uint8Array): T {
      const t = resolveType();
      let message: protobuf.Message;
      try {
        message = t.decode(bytes);
      } catch (e) {
        throw new Error(`cannot decode ${typeName}: ${(e as Error).message}`, { cause: e });
      }
      const plain = t.toObject(message, TO_OBJECT);
      return dropNullMessages(t, plain) as T;
    },
  };
}
